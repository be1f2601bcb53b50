using System.Globalization;

namespace Kiosque;

/// <summary>The <c>Kiosque</c> configuration section (appsettings, <c>Kiosque__X</c> environment variables, <c>--Kiosque:X=</c>).</summary>
public sealed class KiosqueOptions
{
    public const string Section = "Kiosque";

    /// <summary>Database file, media and indexes. Relative paths are taken from the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Seed the demo newsroom into an empty database; a database with content is never touched.</summary>
    public bool Demo { get; set; }

    public string SiteName { get; set; } = "Le Courrier du Delta";

    /// <summary>Public base URL (e.g. https://example.org) for canonical links; the request's own host when empty.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The UI language of the reader site: <c>fr</c> (default) or <c>en</c>.</summary>
    public string Culture { get; set; } = "fr";

    /// <summary>The newsroom's time zone, in which dates are shown to readers.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    public int PageSize { get; set; } = 12;

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public string MediaDirectory => Path.Combine(FullDataDirectory, "media");

    public CultureInfo CultureInfo => CultureInfo.GetCultureInfo(Culture);

    public TimeZoneInfo TimeZoneInfo => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
