using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

/// <summary>Public URLs and reader-facing dates, in one place so every page and feed agrees.</summary>
public sealed class SiteFormat(IOptions<KiosqueOptions> options, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    /// <summary>Pieces younger than this show their time on cards: the news of the day and the day before.</summary>
    public static readonly TimeSpan RecentSpan = TimeSpan.FromHours(36);

    private readonly KiosqueOptions _options = options.Value;
    private readonly TimeZoneInfo _zone = options.Value.TimeZoneInfo;

    public string SiteName => _options.SiteName;

    public CultureInfo Culture => _options.CultureInfo;

    /// <summary>Open Graph wants a territory: fr → fr_FR.</summary>
    public string OgLocale { get; } = CultureInfo.CreateSpecificCulture(options.Value.Culture).Name.Replace('-', '_');

    public static string ArticlePath(string slug) => "/article/" + slug;

    /// <summary>A live page's one address (its <c>/article/</c> address redirects here).</summary>
    public static string LivePath(string slug) => "/direct/" + slug;

    /// <summary>An article's address, or its live page's.</summary>
    public static string ItemPath(string slug, Content.Coverage coverage) => coverage == Content.Coverage.None ? ArticlePath(slug) : LivePath(slug);

    public static string SectionPath(string slug) => "/rubrique/" + slug;

    public static string TagPath(string slug) => "/theme/" + slug;

    public static string AuthorPath(string slug) => "/auteur/" + slug;

    public static string MediaPath(string fileName) => "/media/" + fileName;

    public static string WithPage(string path, int page) => page <= 1 ? path : $"{path}?page={page}";

    /// <summary>The absolute URL of a path, from <c>Kiosque:PublicUrl</c> or else the request's own origin.</summary>
    public string Absolute(HttpRequest request, string path)
    {
        var origin = string.IsNullOrEmpty(_options.PublicUrl)
            ? $"{request.Scheme}://{request.Host.Value}"
            : _options.PublicUrl.TrimEnd('/');
        return origin + path;
    }

    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, _zone);

    /// <summary>ISO 8601 with the newsroom's offset, for <c>&lt;time datetime&gt;</c> and JSON-LD.</summary>
    public string Iso(DateTime utc)
    {
        var local = Local(utc);
        return new DateTimeOffset(local, _zone.GetUtcOffset(utc)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>"7 janvier 2022", "1er mars 2022"; "7 January 2022" in English.</summary>
    public string LongDate(DateTime utc)
    {
        var local = Local(utc);
        var culture = CultureInfo.CurrentCulture;
        if (culture.TwoLetterISOLanguageName == "fr" && local.Day == 1)
        {
            return "1er " + local.ToString("MMMM yyyy", culture);
        }
        return local.ToString("d MMMM yyyy", culture);
    }

    /// <summary>
    /// "2 décembre à 14 h 05" for a recent piece, else the long date. Absolute, never "il y a 5 min",
    /// so a cached page stays true however long it is kept.
    /// </summary>
    public string CardDate(DateTime utc)
    {
        if (clock.GetUtcNow().UtcDateTime - utc > RecentSpan)
        {
            return LongDate(utc);
        }
        var local = Local(utc);
        var culture = CultureInfo.CurrentCulture;
        var day = culture.TwoLetterISOLanguageName == "fr" && local.Day == 1 ? "1er " + local.ToString("MMMM", culture) : local.ToString("d MMMM", culture);
        return text["Date.AtTime", day, Time(utc)];
    }

    /// <summary>"2 décembre 2026 à 14 h 05", for the article's own dates.</summary>
    public string DateAndTime(DateTime utc) => text["Date.AtTime", LongDate(utc), Time(utc)];

    /// <summary>"14 h 05" in French, "2:05 PM"-style per culture otherwise.</summary>
    public string Time(DateTime utc)
    {
        var local = Local(utc);
        var culture = CultureInfo.CurrentCulture;
        return culture.TwoLetterISOLanguageName == "fr"
            ? local.ToString("H' h 'mm", culture)
            : local.ToString("t", culture);
    }
}
