using System.Security.Claims;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Jobs;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

public static class NewsroomServices
{
    public const string StaffPolicy = "staff";
    public const string EditorPolicy = "editor";
    public const string AdminPolicy = "admin";

    /// <summary>Accounts and tokens: what both the server and <c>kiosque user add</c> need.</summary>
    public static IServiceCollection AddNewsroomAccounts(this IServiceCollection services)
    {
        // Keys in the shared database: every node reads the same sign-in cookies and links.
        services.AddDataProtection().SetApplicationName("Kiosque").PersistKeysToDbContext<KiosqueDb>();
        services.AddIdentityCore<StaffUser>(options =>
            {
                // Long passphrases rather than composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.Name;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KiosqueDb>()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders()
            // Links expire by the injected clock (see ClockedTokenProvider): these replace the default provider.
            .AddTokenProvider<OneTimeLinkTokenProvider>(TokenOptions.DefaultProvider)
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.Name);
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(1));
        services.AddScoped<Accounts>();
        return services;
    }

    /// <summary>The web side: cookies, sign-in, authorisation policies, antiforgery, the scheduler.</summary>
    public static IServiceCollection AddNewsroom(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<StaffUser>().AddSignInManager();
        services.ConfigureAll<CookieAuthenticationOptions>(o =>
        {
            // The reader site never sees a newsroom cookie, so its pages stay cacheable.
            o.Cookie.Path = "/newsroom";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "kiosque.newsroom";
            o.LoginPath = "/newsroom/connexion";
            o.LogoutPath = "/newsroom/deconnexion";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context =>
            {
                // Scripts (autosave) get a status they can act on, not a sign-in page.
                if (IsScriptRequest(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }
                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = async context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(text["Newsroom.Forbidden"]);
            };
        });
        // A role change or a reset password reaches open sessions within minutes.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.RequireRole(Roles.All))
            .AddPolicy(EditorPolicy, p => p.RequireRole(Roles.Editor, Roles.Admin))
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "kiosque.csrf";
            o.Cookie.Path = "/newsroom";
            o.HeaderName = "RequestVerificationToken";
        });
        services.AddSingleton<PreviewLinks>();
        services.AddScoped<ArticleEditor>();
        services.AddScoped<ArticleWorkflow>();
        services.AddSingleton<ScheduledPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledPublisher>());
        return services;
    }

    public static bool IsScriptRequest(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
}

