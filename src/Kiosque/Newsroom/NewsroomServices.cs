using System.Security.Claims;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

public static class NewsroomServices
{
    public const string StaffPolicy = "staff";
    public const string EditorPolicy = "editor";
    public const string AdminPolicy = "admin";

    /// <summary>The sign-in cookie (the page cache checks it before letting a request skip the cache).</summary>
    public const string SessionCookie = "kiosque.newsroom";

    /// <summary>
    /// A second cookie of the same session, kept to <c>/media</c>: the session cookie is kept to
    /// <c>/newsroom</c> (reader pages stay cacheable), so without it a request for the picture of a
    /// draft could not tell an editor from a reader (<see cref="Media.MediaAccess"/>).
    /// </summary>
    public const string MediaScheme = "Kiosque.Media";
    public const string MediaCookieName = "kiosque.media";

    /// <summary>Accounts and tokens: what both the server and <c>kiosque user add</c> need.</summary>
    public static IServiceCollection AddNewsroomAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        // Keys in the shared database: every node reads the same sign-in cookies and links. With
        // Kiosque:DataProtectionKey set (production), they are stored encrypted with it.
        var protection = services.AddDataProtection().SetApplicationName("Kiosque").PersistKeysToDbContext<KiosqueDb>();
        if (configuration[ConfiguredKeyXmlEncryptor.Setting] is { Length: > 0 } keyText)
        {
            var key = ConfiguredKeyXmlEncryptor.Parse(keyText);
            protection.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new ConfiguredKeyXmlEncryptor(key));
        }
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
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.Name)
            // Authenticator codes spent on first use (replaces Identity's, which accepts a code again).
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(1));
        services.AddScoped<Accounts>();
        return services;
    }

    /// <summary>The web side: cookies, sign-in, authorisation policies, antiforgery, the scheduler.</summary>
    public static IServiceCollection AddNewsroom(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // A site whose public address is https is secure whatever scheme the request arrived
        // with: behind a TLS-terminating proxy the application sees HTTP, and "same as request"
        // would let the session travel in clear. A site with no public https address (the demo
        // on http://localhost, a developer's machine) keeps "same as request", or its newsroom
        // could not be used at all: browsers drop Secure cookies over plain HTTP.
        var publicUrl = configuration[$"{KiosqueOptions.Section}:{nameof(KiosqueOptions.PublicUrl)}"] ?? "";
        var secure = configuration.GetValue<bool?>($"{KiosqueOptions.Section}:{nameof(KiosqueOptions.SecureCookies)}")
            ?? (!environment.IsDevelopment() && publicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;
        services.AddHttpContextAccessor();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddCookie(MediaScheme).AddIdentityCookies();
        services.AddIdentityCore<StaffUser>().AddSignInManager();
        services.ConfigureAll<CookieAuthenticationOptions>(o =>
        {
            // The reader site never sees a newsroom cookie, so its pages stay cacheable.
            o.Cookie.Path = "/newsroom";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = SessionCookie;
            o.LoginPath = "/newsroom/connexion";
            o.LogoutPath = "/newsroom/deconnexion";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // Sliding, but never past SessionValidator.AbsoluteLifetime after the sign-in; and
            // checked against the account on every request, so signing out ends the session itself.
            o.Events.OnSigningIn = SessionValidator.SigningInAsync;
            o.Events.OnValidatePrincipal = SessionValidator.ValidatePrincipalAsync;
            // The media cookie follows the session: issued and renewed with it, removed with it.
            o.Events.OnSignedIn = context => context.HttpContext.SignInAsync(MediaScheme, context.Principal!,
                new AuthenticationProperties(new Dictionary<string, string?>(context.Properties.Items)));
            o.Events.OnSigningOut = context => context.HttpContext.SignOutAsync(MediaScheme);
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
        services.Configure<CookieAuthenticationOptions>(MediaScheme, o =>
        {
            o.Cookie.Name = MediaCookieName;
            o.Cookie.Path = "/media";
            o.ExpireTimeSpan = SessionValidator.AbsoluteLifetime;
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = SessionValidator.ValidatePrincipalAsync;
        });
        // SessionValidator ends sessions whose stamp changed at once; this is how often a session
        // that goes on reloads its claims (display name, two-factor) from the account.
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
            o.Cookie.SecurePolicy = secure;
        });
        services.AddSingleton<PreviewLinks>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<ArticleEditor>();
        services.AddScoped<ArticleWorkflow>();
        services.AddSingleton<ScheduledPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledPublisher>());
        return services;
    }

    public static bool IsScriptRequest(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Options for a cookie kept to <c>/media</c>, with the session's security settings.</summary>
    public static CookieOptions MediaCookie(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(MediaScheme).Cookie.Build(http);
}
