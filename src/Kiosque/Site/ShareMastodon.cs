using System.Text.RegularExpressions;
using Kiosque.Data;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

/// <summary>
/// Mastodon has no central share URL: this page asks the reader for their server, then gives them
/// a link to that server's own share form. Works without JavaScript; we never contact the server ourselves.
/// </summary>
public static partial class ShareMastodon
{
    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, SiteFormat format, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        string url = query["url"].ToString(), title = query["text"].ToString(), instance = query["instance"].ToString().Trim();
        // Only our own pages may be shared through this form, so it cannot be used as an open redirect for other text.
        var ownOrigin = format.Absolute(http.Request, "/");
        if (!url.StartsWith(ownOrigin, StringComparison.Ordinal) || title.Length > 500)
        {
            url = ownOrigin;
            title = options.Value.SiteName;
        }
        string? error = null, share = null;
        if (instance.Length > 0)
        {
            instance = instance.Replace("https://", "", StringComparison.OrdinalIgnoreCase).TrimEnd('/');
            if (HostName().IsMatch(instance))
            {
                // Never a redirect: any host that looks like one passes the check, so an address
                // of this site ending in ?instance=… would otherwise send its visitors wherever it
                // names. The reader sees the host and follows the link themself.
                share = $"https://{instance}/share?text={Uri.EscapeDataString(title + " " + url)}";
            }
            else
            {
                error = text["Mastodon.Invalid"];
            }
        }
        var meta = new PageMeta($"{text["Mastodon.Title"]} — {options.Value.SiteName}", null, format.Absolute(http.Request, "/partager/mastodon")) { NoIndex = true };
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken));
        return SitePages.Render<ShareMastodonView>(new { Chrome = chrome, Url = url, Title = title, Instance = instance, Error = error, Share = share },
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.IgnoreCase)]
    private static partial Regex HostName();
}
