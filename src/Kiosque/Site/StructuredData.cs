using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Kiosque.Site;

/// <summary>One step of a page's breadcrumb trail (schema.org BreadcrumbList).</summary>
public sealed record Crumb(string Name, string Url);

/// <summary>
/// schema.org JSON-LD for search engines: NewsArticle, BreadcrumbList, WebSite with its
/// SearchAction, and the publisher they all name. Built as plain dictionaries so each property
/// reads as the name schema.org gives it.
/// </summary>
public static class StructuredData
{
    /// <summary>Where the search page answers; <c>{search_term_string}</c> is schema.org's placeholder.</summary>
    public const string SearchPathTemplate = "/recherche?q={search_term_string}";

    private static readonly JsonSerializerOptions JsonLdOptions = new()
    {
        // Keeps "<" escaped, so the JSON cannot close its script element; readable accents.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Serialize(object data) => JsonSerializer.Serialize(data, JsonLdOptions);

    /// <summary>The newsroom as publisher, with its logo (Google requires one for NewsArticle).</summary>
    public static Dictionary<string, object> Publisher(string origin, string siteName) => new()
    {
        ["@type"] = "NewsMediaOrganization",
        ["@id"] = origin + "/#organization",
        ["name"] = siteName,
        ["url"] = origin + "/",
        ["logo"] = Logo(origin),
    };

    private static Dictionary<string, object> Logo(string origin) => new()
    {
        ["@type"] = "ImageObject",
        ["url"] = origin + SiteBrand.LogoPath,
        ["width"] = SiteBrand.LogoWidth,
        ["height"] = SiteBrand.LogoHeight,
    };

    /// <summary>16:9, 4:3 and 1:1 crops around the focal point: the shapes search engines pick from.</summary>
    public static List<Dictionary<string, object>> ArticleImages(MediaRef hero, string origin) =>
        Kiosque.Media.Picture.StructuredData(hero).Select(image => new Dictionary<string, object>
        {
            ["@type"] = "ImageObject",
            ["url"] = origin + image.Url,
            ["width"] = image.Width,
            ["height"] = image.Height,
        }).ToList();

    public static string NewsArticle(ArticleView article, string description, string origin, SiteFormat format, KiosqueOptions options)
    {
        var data = new Dictionary<string, object>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "NewsArticle",
            ["@id"] = article.Url + "#article",
            ["mainEntityOfPage"] = new Dictionary<string, string> { ["@type"] = "WebPage", ["@id"] = article.Url },
            ["url"] = article.Url,
            ["headline"] = article.Headline,
            ["description"] = description,
            ["datePublished"] = format.Iso(article.PublishedAt),
            ["dateModified"] = format.Iso(article.ModifiedAt),
            ["author"] = article.Authors.Select(a => new Dictionary<string, string>
            {
                ["@type"] = "Person",
                ["name"] = a.Name,
                ["url"] = origin + SiteFormat.AuthorPath(a.Slug),
            }).ToList(),
            ["articleSection"] = article.Section.Name,
            ["keywords"] = article.Tags.Select(t => t.Name).ToList(),
            ["isAccessibleForFree"] = true,
            ["inLanguage"] = options.Culture,
            ["publisher"] = Publisher(origin, options.SiteName),
        };
        // Google requires an image on a NewsArticle: a piece without a hero is shown with the logo.
        data["image"] = article.Hero is null ? new List<Dictionary<string, object>> { Logo(origin) } : ArticleImages(article.Hero, origin);
        return Serialize(data);
    }

    /// <summary>
    /// A live page: schema.org LiveBlogPosting (a kind of NewsArticle) with its coverage times and
    /// its latest entries as <c>liveBlogUpdate</c> BlogPostings, as Google's live badge reads them.
    /// </summary>
    public static string LiveBlogPosting(ArticleView article, string description, string origin, SiteFormat format, KiosqueOptions options, DateTime coverageStart, DateTime? coverageEnd, IReadOnlyList<(int Id, DateTime At, string Title, string Text)> updates)
    {
        var data = JsonSerializer.Deserialize<Dictionary<string, object>>(NewsArticle(article, description, origin, format, options))!;
        data["@type"] = "LiveBlogPosting";
        data["coverageStartTime"] = format.Iso(coverageStart);
        if (coverageEnd is DateTime end)
        {
            data["coverageEndTime"] = format.Iso(end);
        }
        data["liveBlogUpdate"] = updates.Select(u => new Dictionary<string, object>
        {
            ["@type"] = "BlogPosting",
            ["@id"] = article.Url + "#entree-" + u.Id,
            ["url"] = article.Url + "#entree-" + u.Id,
            ["headline"] = string.IsNullOrWhiteSpace(u.Title) ? Shorten(u.Text, 110) : u.Title,
            ["articleBody"] = u.Text,
            ["datePublished"] = format.Iso(u.At),
        }).ToList();
        return Serialize(data);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1).TrimEnd(), "…");

    public static string Breadcrumbs(IReadOnlyList<Crumb> crumbs) => Serialize(new Dictionary<string, object>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "BreadcrumbList",
        ["itemListElement"] = crumbs.Select((crumb, i) => new Dictionary<string, object>
        {
            ["@type"] = "ListItem",
            ["position"] = i + 1,
            ["name"] = crumb.Name,
            ["item"] = crumb.Url,
        }).ToList(),
    });

    /// <summary>The site itself, on the home page, with the search box search engines may show.</summary>
    public static string WebSite(string origin, string siteName, string description, string language) => Serialize(new Dictionary<string, object>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "WebSite",
        ["@id"] = origin + "/#website",
        ["url"] = origin + "/",
        ["name"] = siteName,
        ["description"] = description,
        ["inLanguage"] = language,
        ["publisher"] = Publisher(origin, siteName),
        ["potentialAction"] = new Dictionary<string, object>
        {
            ["@type"] = "SearchAction",
            ["target"] = new Dictionary<string, string>
            {
                ["@type"] = "EntryPoint",
                ["urlTemplate"] = origin + SearchPathTemplate,
            },
            ["query-input"] = "required name=search_term_string",
        },
    });
}
