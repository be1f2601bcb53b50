using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Feeds;

/// <summary>The oEmbed 1.0 answer for one of our articles (https://oembed.com/, section 2.3.4).</summary>
public sealed record OEmbedResponse(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("author_name")] string? AuthorName,
    [property: JsonPropertyName("author_url")] string? AuthorUrl,
    [property: JsonPropertyName("provider_name")] string ProviderName,
    [property: JsonPropertyName("provider_url")] string ProviderUrl,
    [property: JsonPropertyName("cache_age")] int CacheAge,
    [property: JsonPropertyName("html")] string Html,
    [property: JsonPropertyName("width")] int Width,
    // Null, as other quotation-card providers answer: the card's height depends on the embedding page's fonts.
    [property: JsonPropertyName("height")] int? Height,
    [property: JsonPropertyName("thumbnail_url")] string? ThumbnailUrl,
    [property: JsonPropertyName("thumbnail_width")] int? ThumbnailWidth,
    [property: JsonPropertyName("thumbnail_height")] int? ThumbnailHeight);

/// <summary>
/// GET /oembed?url=…: lets other sites embed our articles. The embed is a quotation card (headline,
/// standfirst, site and date, linked back): plain HTML with no script and no iframe, so embedding
/// an article never makes the embedding site's readers load anything from us.
/// </summary>
public static class OEmbed
{
    public const string Path = "/oembed";
    private const int DefaultWidth = 550;

    /// <summary>The discovery link's target for one article URL.</summary>
    public static string DiscoveryUrl(SiteFormat format, HttpRequest request, string articleUrl) =>
        format.Absolute(request, $"{Path}?url={Uri.EscapeDataString(articleUrl)}&format=json");

    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var url = query["url"].ToString();
        var requested = query["format"].ToString();
        if (requested.Length > 0 && !requested.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            // The spec's answer for a format the provider does not offer.
            return Results.Problem(text["OEmbed.UnsupportedFormat"], statusCode: StatusCodes.Status501NotImplemented);
        }
        if (url.Length == 0 || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return Results.Problem(text["OEmbed.MissingUrl"], statusCode: StatusCodes.Status400BadRequest);
        }
        var slug = ArticleSlug(uri, new Uri(format.Absolute(http.Request, "/")));
        if (slug is null)
        {
            return Results.Problem(text["OEmbed.NotOurs"], statusCode: StatusCodes.Status404NotFound);
        }
        var article = await db.Published().Where(a => a.Slug == slug)
            .Select(a => new
            {
                a.Headline,
                a.Standfirst,
                PublishedAt = a.PublishedAt!.Value,
                Hero = a.HeroMedia == null ? null : new MediaRef(a.HeroMedia.FileName, a.HeroMedia.Width, a.HeroMedia.Height, a.HeroMedia.Alt, a.HeroMedia.Caption, a.HeroMedia.Credit, a.HeroMedia.RenditionsPath, a.HeroMedia.CropsPath),
                Authors = a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRef(p.Author.Slug, p.Author.Name)).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            // Drafts and unpublished pieces are unknown to the outside, like any missing page.
            return Results.Problem(text["OEmbed.NotOurs"], statusCode: StatusCodes.Status404NotFound);
        }

        var canonical = format.Absolute(http.Request, SiteFormat.ArticlePath(slug));
        var width = ReadSize(query["maxwidth"].ToString()) is int max ? Math.Min(max, DefaultWidth) : DefaultWidth;
        var home = format.Absolute(http.Request, "/");
        var html =
            $"<blockquote class=\"kiosque-embed\" cite=\"{Encode(canonical)}\"><p><a href=\"{Encode(canonical)}\">{Encode(article.Headline)}</a></p>"
            + (article.Standfirst.Length > 0 ? $"<p>{Encode(article.Standfirst)}</p>" : "")
            + $"<p>— <a href=\"{Encode(home)}\">{Encode(format.SiteName)}</a>, <time datetime=\"{format.Iso(article.PublishedAt)}\">{Encode(format.LongDate(article.PublishedAt))}</time></p></blockquote>";
        var first = article.Authors.FirstOrDefault();
        // The file and its own size together: the medium's size is the original's, not the JPEG's.
        var thumbnail = article.Hero is null ? null : Picture.Source(article.Hero);
        var response = new OEmbedResponse(
            "1.0", "rich", article.Headline,
            article.Authors.Count == 0 ? null : string.Join(", ", article.Authors.Select(a => a.Name)),
            first is null ? null : format.Absolute(http.Request, SiteFormat.AuthorPath(first.Slug)),
            options.Value.SiteName, home, 3600, html, width, null,
            thumbnail is null ? null : format.Absolute(http.Request, thumbnail.Url),
            thumbnail?.Width, thumbnail?.Height);
        return Results.Json(response, contentType: "application/json; charset=utf-8");
    }

    /// <summary>The slug when <paramref name="uri"/> is an article address on this site, else null.</summary>
    private static string? ArticleSlug(Uri uri, Uri site)
    {
        if (!uri.Host.Equals(site.Host, StringComparison.OrdinalIgnoreCase) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }
        var path = uri.AbsolutePath;
        const string prefix = "/article/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var slug = Uri.UnescapeDataString(path[prefix.Length..].TrimEnd('/'));
        return slug.Length is > 0 and <= 200 && !slug.Contains('/', StringComparison.Ordinal) ? slug : null;
    }

    private static int? ReadSize(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size : null;

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Encode(string text) => Html.Encode(text);
}
