using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosque;
using Kiosque.Api;
using Kiosque.Caching;
using Kiosque.ChangeLog;
using Kiosque.Cli;
using Kiosque.Data;
using Kiosque.Feeds;
using Kiosque.Http;
using Kiosque.Jobs;
using Kiosque.Media;
using Kiosque.Mirror;
using Kiosque.Newsroom;
using Kiosque.Search;
using Kiosque.Site;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticAssets.Infrastructure;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Scalar.AspNetCore;

args = KiosqueCli.Normalize(args);
if (KiosqueCli.IsVerb(args))
{
    return await KiosqueCli.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
// Static files and their Brotli and gzip copies as the build left them (obj/…/compressed, listed in
// kiosque.staticwebassets.runtime.json) when the app runs from its build output, in any
// environment: dotnet run, the tests. A published app has them in its wwwroot and no such
// manifest, and this does nothing there.
builder.WebHost.UseStaticWebAssets();
// On a build's manifest, MapStaticAssets would by default re-read each file at every request so that
// edits show without a build, and "compress" it on the fly at gzip level 0, labelled with whatever
// coding was negotiated (gzip bytes sent as br). Kiosque's fingerprinted URLs need a build after an
// edit anyway: serve the build's real Brotli and gzip copies, as a published app does.
builder.Configuration["ReloadStaticAssetsAtRuntime"] = "false";

// Services
builder.Services.AddKiosqueCore(builder.Configuration);
builder.Services.AddRazorComponents();
builder.Services.AddSyndication(builder.Configuration);
// French text is served as UTF-8, not as &#xE9; entities that triple its size.
builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
builder.Services.AddProblemDetails();
builder.Services.AddPageCache();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
builder.Services.AddNewsroom(builder.Configuration, builder.Environment);
builder.Services.AddTrustedProxies();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RenditionWorker>());
// Live pages (« En direct »): entry markup, and the streams fed by the change log on every node.
builder.Services.AddSingleton<LiveEntries>();
builder.Services.AddSingleton<LiveBroadcast>();
builder.Services.AddSingleton<IContentChangeHandler>(sp => sp.GetRequiredService<LiveBroadcast>());
// The JSON API too: French text as UTF-8, not \u00e9 escapes.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexer>());
// The content API's description (OpenAPI 3.1), from the handlers' typed results: /api/v1 only.
builder.Services.AddOpenApi(ContentApi.DocumentName, ContentApi.Describe);
// The newsroom's minisign public key, shown to readers who check a mirror (docs/mirrors.md).
builder.Services.AddMirrorSigning(builder.Configuration);
// Pages the page cache does not store (search, 404) are compressed as they are sent. Over HTTPS too:
// reader pages hold no secret for BREACH to guess (the site sets no cookie and embeds no token);
// the newsroom, which does, is left out below.
builder.Services.AddResponseCompression(o =>
{
    o.EnableForHttps = true;
    o.Providers.Add<BrotliCompressionProvider>();
    o.Providers.Add<GzipCompressionProvider>();
});
// Fastest levels: these responses are compressed on every request, unlike cached pages and static files.
builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);

var app = builder.Build();
await app.Services.PrepareDatabaseAsync();
var options = app.Services.GetRequiredService<IOptions<KiosqueOptions>>().Value;

// Middleware
// First: the reader's address and scheme, from the configured proxies only (TrustedProxies).
app.UseForwardedHeaders();
// HEAD runs as GET through everything below, without its body (Http/HeadRequestMiddleware).
app.UseMiddleware<HeadRequestMiddleware>();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler();
}
// Outside the page cache, which stores and sends its own Brotli and gzip copies (the compressor
// leaves responses that already have a Content-Encoding alone); never the newsroom's pages.
app.UseWhen(http => !PageCacheSettings.IsNeverCached(http.Request.Path), reader => reader.UseResponseCompression());
// The content API's CORS for reads and the tags of its compressed copies, before the page cache so
// that stored answers get them too.
app.UseWhen(ApiCors.Applies, api => api.Use(ApiCors.InvokeAsync).Use(ApiValidators.TagEncodedCopies));
app.UseRouting();
// Right after routing (it reads the endpoint's cache policy): a cached page is answered before
// any other middleware runs; a miss goes on through them to the endpoint.
app.UsePageCache();
// Problem details for the content API's errors that routing and binding answer with an empty body
// (405, page=abc); inside the page cache, which would otherwise send that empty body as it is.
app.UseWhen(ApiCors.Applies, api => api.UseStatusCodePages());
// The site speaks one language, chosen by the operator (Kiosque:Culture), whatever the browser asks.
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture(options.CultureInfo),
    SupportedCultures = [options.CultureInfo],
    SupportedUICultures = [options.CultureInfo],
    RequestCultureProviders = [],
});
// Renditions only: originals live in {DataDirectory}/originals, which nothing serves. Pictures no
// public content shows go to staff and preview links only (MediaAccess).
Directory.CreateDirectory(options.MediaDirectory);
app.UseWhen(http => http.Request.Path.StartsWithSegments("/media"), media => media.Use(MediaAccess.InvokeAsync));
app.UseStaticFiles(new StaticFileOptions
{
    RequestPath = "/media",
    FileProvider = new PhysicalFileProvider(options.MediaDirectory),
    // Rendition names carry a hash of their content (r/…): they never change, so readers and caches keep them.
    OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = MediaAccess.CacheControl(context.Context),
});

app.UseAuthentication();
app.UseAuthorization();

// Static files of wwwroot (stylesheets, the editor bundle, favicon, logo), from the build's manifest:
// Brotli and gzip copies made at build, negotiated by Accept-Encoding, ETags, and fingerprinted
// routes cached for a year, which the layouts link to (Site/StaticAssets.cs).
app.MapStaticAssets();
var staticAssets = StaticAssetsEndpointDataSourceHelper.ResolveStaticAssetDescriptors(app, null);
StaticAssets.Fingerprint(staticAssets);
NewsroomAssets.Fingerprint(staticAssets);

// Reader site. Reader pages and feeds are served from the page cache (.CachePage, with the query keys that
// change them). Sitemaps and robots.txt use SyndicationCache: a sitemap page is megabytes, so only its
// validators are kept, and it is rendered again only when a change touches its range of articles.
app.MapGet("/", HomePage.Get).CachePage("page");
app.MapGet("/article/{slug}", ArticlePage.Get).CachePage();
app.MapGet("/rubrique/{slug}", ListPages.Section).CachePage("page");
app.MapGet("/theme/{slug}", ListPages.Tag).CachePage("page");
app.MapGet("/auteur/{slug}", ListPages.Author).CachePage("page");
app.MapGet("/partager/mastodon", ShareMastodon.Get);
// Live pages: the page (cached, tagged with its article), its event stream and the polling fragment (docs/live.md).
app.MapGet("/direct/{slug}", LivePage.Get).CachePage("avant");
app.MapGet("/direct/{slug}/events", LivePage.Events);
app.MapGet("/direct/{slug}/depuis/{id:int}", LivePage.Since);
app.MapGet("/direct/{slug}/atom.xml", LivePage.Feed).CachePage();

// Feeds: RSS 2.0, Atom and JSON Feed beside each list (docs/syndication.md lists them all)
app.MapGet("/rss.xml", (HttpContext http, KiosqueDb db) => FeedPages.Site(http, db, FeedFormat.Rss)).CachePage();
app.MapGet("/atom.xml", (HttpContext http, KiosqueDb db) => FeedPages.Site(http, db, FeedFormat.Atom)).CachePage();
app.MapGet("/feed.json", (HttpContext http, KiosqueDb db) => FeedPages.Site(http, db, FeedFormat.Json)).CachePage();
app.MapGet("/rubrique/{slug}/rss.xml", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Section(http, db, slug, FeedFormat.Rss)).CachePage();
app.MapGet("/rubrique/{slug}/atom.xml", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Section(http, db, slug, FeedFormat.Atom)).CachePage();
app.MapGet("/rubrique/{slug}/feed.json", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Section(http, db, slug, FeedFormat.Json)).CachePage();
app.MapGet("/theme/{slug}/rss.xml", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Tag(http, db, slug, FeedFormat.Rss)).CachePage();
app.MapGet("/theme/{slug}/atom.xml", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Tag(http, db, slug, FeedFormat.Atom)).CachePage();
app.MapGet("/theme/{slug}/feed.json", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Tag(http, db, slug, FeedFormat.Json)).CachePage();
app.MapGet("/auteur/{slug}/rss.xml", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Author(http, db, slug, FeedFormat.Rss)).CachePage();
app.MapGet("/auteur/{slug}/atom.xml", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Author(http, db, slug, FeedFormat.Atom)).CachePage();
app.MapGet("/auteur/{slug}/feed.json", (string slug, HttpContext http, KiosqueDb db) => FeedPages.Author(http, db, slug, FeedFormat.Json)).CachePage();
// Addresses feed readers try by habit
app.MapGet("/feed", () => Results.Redirect("/rss.xml", permanent: true));
app.MapGet("/rss", () => Results.Redirect("/rss.xml", permanent: true));

// Search engines and embeds
app.MapGet("/robots.txt", Sitemaps.Robots);
app.MapGet(Sitemaps.IndexPath, Sitemaps.Index);
app.MapGet(Sitemaps.PagesPath, Sitemaps.Pages);
app.MapGet(Sitemaps.NewsPath, Sitemaps.News);
app.MapGet("/sitemaps/articles-{page}.xml", Sitemaps.Articles);
app.MapGet("/sitemaps/tags-{page}.xml", Sitemaps.Tags);
app.MapGet(OEmbed.Path, OEmbed.Get);
// Signed mirrors: the key that signs them and how readers check one (404 without a key)
app.MapGet(AuthenticityPage.Path, AuthenticityPage.Get).CachePage();
app.MapGet(AuthenticityPage.PublicKeyPath, AuthenticityPage.PublicKey).CachePage();
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
// The password reset link an administrator hands over (Accounts.PasswordResetPath).
open.MapGet("/connexion/nouveau-mot-de-passe", SignInPages.GetPasswordReset);
open.MapPost("/connexion/nouveau-mot-de-passe", SignInPages.PostPasswordReset);

var newsroom = app.MapGroup("/newsroom").DisableAntiforgery()
    .RequireAuthorization(NewsroomServices.StaffPolicy)
    .AddEndpointFilter(NewsroomPages.SecurityHeaders)
    .AddEndpointFilter(NewsroomPages.RequireAntiforgery)
    .AddEndpointFilter(NewsroomPages.RequireTwoFactorWhenMandatory)
    .AddEndpointFilter(ChangeFeedFilters.WaitForOwnChanges);
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
    if (kind.Deletable)
    {
        newsroom.MapPost($"/{kind.Path}/{{id:int}}/supprimer", TaxonomyPages.Delete(kind)).RequireAuthorization(policy);
    }
}
newsroom.MapPost("/themes/{id:int}/fusionner", TaxonomyPages.MergeTag).RequireAuthorization(NewsroomServices.EditorPolicy);
// Media library: every staff member uploads and edits; deleting (only what nothing uses) is for editors.
newsroom.MapGet("/medias", MediaLibraryPages.List);
newsroom.MapGet("/medias/recherche", MediaLibraryPages.Search);
newsroom.MapGet("/medias/{id:int}", MediaLibraryPages.Get);
newsroom.MapPost("/medias/{id:int}", MediaLibraryPages.Save);
newsroom.MapPost("/medias/{id:int}/supprimer", MediaLibraryPages.Delete).RequireAuthorization(NewsroomServices.EditorPolicy);
// Uploads stream their body (MediaUploadForm) and check the antiforgery token once they have read
// it, so they sit outside the group's filter that reads the whole form first. The body limit is
// the media limit plus the form around it (Kestrel's default, about 28.6 MB, is below 30 MB).
var mediaLimits = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value;
app.MapGroup("/newsroom").DisableAntiforgery()
    .RequireAuthorization(NewsroomServices.StaffPolicy)
    .AddEndpointFilter(NewsroomPages.SecurityHeaders)
    .AddEndpointFilter(NewsroomPages.RequireTwoFactorWhenMandatory)
    .AddEndpointFilter(ChangeFeedFilters.WaitForOwnChanges)
    .MapPost("/medias", MediaLibraryPages.Upload)
    .WithMetadata(new RequestSizeLimitAttribute(MediaUploadForm.RequestLimit(mediaLimits)));
// A live entry comes with its photo in one form, read the same way.
app.MapGroup("/newsroom").DisableAntiforgery()
    .RequireAuthorization(NewsroomServices.StaffPolicy)
    .AddEndpointFilter(NewsroomPages.SecurityHeaders)
    .AddEndpointFilter(NewsroomPages.RequireTwoFactorWhenMandatory)
    .AddEndpointFilter(ChangeFeedFilters.WaitForOwnChanges)
    .MapPost("/direct/{id:int}/entrees", LiveConsolePages.Post)
    .WithMetadata(new RequestSizeLimitAttribute(MediaUploadForm.RequestLimit(mediaLimits)));
// Live console (« En direct »): every staff member posts; changing others' entries and ending a coverage is for editors.
newsroom.MapGet("/direct", LiveConsolePages.List);
newsroom.MapPost("/direct", LiveConsolePages.Create);
newsroom.MapGet("/direct/{id:int}", LiveConsolePages.Get);
newsroom.MapPost("/direct/{id:int}/entrees/{entryId:int}", LiveConsolePages.Edit);
newsroom.MapPost("/direct/{id:int}/entrees/{entryId:int}/epingler", LiveConsolePages.Pin);
newsroom.MapPost("/direct/{id:int}/entrees/{entryId:int}/supprimer", LiveConsolePages.Delete);
newsroom.MapPost("/direct/{id:int}/terminer", LiveConsolePages.End).RequireAuthorization(NewsroomServices.EditorPolicy);
newsroom.MapGet("/compte", AccountPages.Get);
newsroom.MapPost("/compte/mot-de-passe", AccountPages.PostPassword);
newsroom.MapPost("/compte/2fa", AccountPages.PostTwoFactor);
newsroom.MapPost("/compte/2fa/desactiver", AccountPages.PostDisableTwoFactor);
newsroom.MapGet("/equipe", TeamPages.Get).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapPost("/equipe", TeamPages.Create).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapPost("/equipe/{id}", TeamPages.Update).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapPost("/reglages", TeamPages.Settings).RequireAuthorization(NewsroomServices.AdminPolicy);
newsroom.MapGet("/journal", TeamPages.AuditLog).RequireAuthorization(NewsroomServices.AdminPolicy);

// Search: the page and its public JSON twin (not page-cached: every query differs)
app.MapGet("/recherche", SearchPage.Get);
app.MapGet("/api/recherche", SearchPage.Api);

// Content API (docs/api.md): public, read-only JSON in one envelope; lists and articles go through
// the page cache like the pages that show them; every answer has a strong ETag (ApiValidators).
var api = app.MapGroup("/api/v1").AddEndpointFilter(ApiValidators.ETag);
api.MapGet("/articles", ContentApi.Articles).CachePage(ContentApi.ArticleKeys).WithSummary("Published articles, newest first");
api.MapGet("/articles/{slug}", ContentApi.Article).CachePage().WithSummary("One published article, with its blocks and their HTML");
api.MapGet("/sections", ContentApi.Sections).CachePage(ApiPaging.PageKeys).WithSummary("Sections, in the navigation's order");
api.MapGet("/tags", ContentApi.Tags).CachePage(ApiPaging.PageKeys).WithSummary("Tags of published articles");
api.MapGet("/authors", ContentApi.Authors).CachePage(ApiPaging.PageKeys).WithSummary("Authors of published articles");
api.MapGet("/search", ContentApi.Search).WithSummary("Search published articles");
api.MapGet("/changes", ChangesApi.Changes).WithSummary("Every public change, in order, from a cursor");
api.Map("/{**path}", ApiProblems.Unknown).ExcludeFromDescription();
app.MapOpenApi(ContentApi.DocumentPath);
// Its interactive reference, with the script served by the app itself (no other host is asked).
app.MapScalarApiReference("/api/docs", o => o.WithTitle("Kiosque content API").WithOpenApiRoutePattern(ContentApi.DocumentPath).DisableDefaultFonts().DisableTelemetry());

// Only its permanent redirects are stored; 404s never are.
app.MapFallback(SitePages.NotFoundAsync).CachePage();

CultureInfo.DefaultThreadCurrentCulture = options.CultureInfo;
if (options.Demo)
{
    // The demo administrator has no password: until it chooses one, a one-time link printed here
    // signs it in. It exists only where the demo was seeded into an empty database.
    app.Lifetime.ApplicationStarted.Register(() => _ = DemoSignIn.PrintLinkAsync(app));
}
await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
