using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosque;
using Kiosque.Cli;
using Kiosque.Jobs;
using Kiosque.Newsroom;
using Kiosque.Site;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

args = KiosqueCli.Normalize(args);
if (KiosqueCli.IsVerb(args))
{
    return await KiosqueCli.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

// Services
builder.Services.AddKiosqueCore(builder.Configuration);
builder.Services.AddRazorComponents();
// French text is served as UTF-8, not as &#xE9; entities that triple its size.
builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
builder.Services.AddProblemDetails();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
builder.Services.AddNewsroom();

var app = builder.Build();
await app.Services.PrepareDatabaseAsync();
StaticAssets.Fingerprint(app.Environment);
NewsroomAssets.Fingerprint(app.Environment);
var options = app.Services.GetRequiredService<IOptions<KiosqueOptions>>().Value;

// Middleware
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler();
}
// The site speaks one language, chosen by the operator (Kiosque:Culture), whatever the browser asks.
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture(options.CultureInfo),
    SupportedCultures = [options.CultureInfo],
    SupportedUICultures = [options.CultureInfo],
    RequestCultureProviders = [],
});
app.UseStaticFiles(new StaticFileOptions
{
    // Fingerprinted (?v=hash) files never change under the same URL.
    OnPrepareResponse = context =>
    {
        if (context.Context.Request.Query.ContainsKey("v"))
        {
            context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=31536000, immutable";
        }
    },
});
Directory.CreateDirectory(options.MediaDirectory);
app.UseStaticFiles(new StaticFileOptions
{
    RequestPath = "/media",
    FileProvider = new PhysicalFileProvider(options.MediaDirectory),
    OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=86400",
});

app.UseAuthentication();
app.UseAuthorization();

// Reader site
app.MapGet("/", HomePage.Get);
app.MapGet("/article/{slug}", ArticlePage.Get);
app.MapGet("/rubrique/{slug}", ListPages.Section);
app.MapGet("/theme/{slug}", ListPages.Tag);
app.MapGet("/auteur/{slug}", ListPages.Author);
app.MapGet("/partager/mastodon", ShareMastodon.Get);

// Newsroom: anonymous visitors are sent to the sign-in page; every POST needs an antiforgery token.
var open = app.MapGroup("/newsroom").DisableAntiforgery()
    .AddEndpointFilter(NewsroomPages.SecurityHeaders)
    .AddEndpointFilter(NewsroomPages.RequireAntiforgery);
open.MapGet("/connexion", SignInPages.Get);
open.MapPost("/connexion", SignInPages.Post);
open.MapGet("/connexion/code", SignInPages.GetCode);
open.MapPost("/connexion/code", SignInPages.PostCode);
open.MapGet("/connexion/lien", SignInPages.GetLink);
open.MapPost("/deconnexion", SignInPages.SignOut);

var newsroom = app.MapGroup("/newsroom").DisableAntiforgery()
    .RequireAuthorization(NewsroomServices.StaffPolicy)
    .AddEndpointFilter(NewsroomPages.SecurityHeaders)
    .AddEndpointFilter(NewsroomPages.RequireAntiforgery)
    .AddEndpointFilter(NewsroomPages.RequireTwoFactorWhenMandatory);
newsroom.MapGet("/", DashboardPages.Get);
newsroom.MapGet("/articles", DashboardPages.List);
newsroom.MapPost("/articles", EditorPages.Create);
newsroom.MapGet("/articles/{id:int}", EditorPages.Get);
newsroom.MapPost("/articles/{id:int}", EditorPages.Save);
newsroom.MapPost("/articles/{id:int}/statut", EditorPages.ChangeStatus);
newsroom.MapPost("/articles/{id:int}/rectificatifs", EditorPages.AddCorrection).RequireAuthorization(NewsroomServices.EditorPolicy);
newsroom.MapGet("/articles/{id:int}/revisions", RevisionPages.Get);
newsroom.MapGet("/articles/{id:int}/fusion/{revisionId:long}", MergePages.Get);
newsroom.MapPost("/articles/{id:int}/fusion/{revisionId:long}", MergePages.Post);
newsroom.MapPost("/articles/{id:int}/revisions/{version:int}/restaurer", RevisionPages.Restore);
// Staff or a signed link; anyone else gets the reader site's 404, as for a page that does not exist.
open.MapGet("/articles/{id:int}/apercu", EditorPages.Preview);
newsroom.MapGet("/une", HomeCurationPages.Get).RequireAuthorization(NewsroomServices.EditorPolicy);
newsroom.MapPost("/une", HomeCurationPages.Post).RequireAuthorization(NewsroomServices.EditorPolicy);
foreach (var kind in new[] { TaxonomyPages.Sections, TaxonomyPages.Tags, TaxonomyPages.Authors })
{
    // Sections shape the whole site: administrators only. Tags and authors: editors.
    var policy = kind.AdminOnly ? NewsroomServices.AdminPolicy : NewsroomServices.EditorPolicy;
    newsroom.MapGet($"/{kind.Path}", TaxonomyPages.List(kind)).RequireAuthorization(policy);
    newsroom.MapPost($"/{kind.Path}", TaxonomyPages.Create(kind)).RequireAuthorization(policy);
    newsroom.MapPost($"/{kind.Path}/{{id:int}}", TaxonomyPages.Update(kind)).RequireAuthorization(policy);
}
newsroom.MapGet("/compte", AccountPages.Get);
newsroom.MapPost("/compte/mot-de-passe", AccountPages.PostPassword);
newsroom.MapPost("/compte/2fa", AccountPages.PostTwoFactor);
newsroom.MapPost("/compte/2fa/desactiver", AccountPages.PostDisableTwoFactor);
newsroom.MapGet("/equipe", TeamPages.Get).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapPost("/equipe", TeamPages.Create).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapPost("/equipe/{id}", TeamPages.Update).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapPost("/reglages", TeamPages.Settings).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapGet("/journal", TeamPages.AuditLog).RequireAuthorization(NewsroomServices.AdminPolicy);

app.MapFallback(SitePages.NotFoundAsync);

CultureInfo.DefaultThreadCurrentCulture = options.CultureInfo;
if (options.Demo)
{
    // The demo administrator has no password: a one-time link, printed here, signs it in.
    app.Lifetime.ApplicationStarted.Register(() => _ = DemoSignIn.PrintLinkAsync(app));
}
await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
