using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosque;
using Kiosque.Cli;
using Kiosque.Jobs;
using Kiosque.Search;
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
// The JSON API too: French text as UTF-8, not \u00e9 escapes.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexer>());

var app = builder.Build();
await app.Services.PrepareDatabaseAsync();
StaticAssets.Fingerprint(app.Environment);
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

// Reader site
app.MapGet("/", HomePage.Get);
app.MapGet("/article/{slug}", ArticlePage.Get);
app.MapGet("/rubrique/{slug}", ListPages.Section);
app.MapGet("/theme/{slug}", ListPages.Tag);
app.MapGet("/auteur/{slug}", ListPages.Author);
app.MapGet("/partager/mastodon", ShareMastodon.Get);
app.MapGet("/recherche", SearchPage.Get);

// Public JSON
app.MapGet("/api/recherche", SearchPage.Api);
app.MapFallback(SitePages.NotFoundAsync);

CultureInfo.DefaultThreadCurrentCulture = options.CultureInfo;
await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
