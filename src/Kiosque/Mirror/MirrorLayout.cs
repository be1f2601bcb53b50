using System.Text.RegularExpressions;

namespace Kiosque.Mirror;

/// <summary>
/// Where each public address lives in a mirror, and how one file links to another. Pages become
/// folders with an <c>index.html</c> (<c>/article/x</c> → <c>article/x/index.html</c>, page 2 of a
/// list → <c>rubrique/x/page/2/index.html</c>); files keep their path (<c>rss.xml</c>,
/// <c>media/r/…</c>). Links are relative and name <c>index.html</c>, so the mirror reads the same
/// from <c>file://</c>, from a bucket or under any path prefix.
/// </summary>
public static partial class MirrorLayout
{
    /// <summary>What a static copy cannot answer: the newsroom, the API, search, the Mastodon hand-off.</summary>
    private static readonly string[] Unmirrored = ["/newsroom", "/api", "/recherche", "/partager"];

    /// <summary>The mirror file of a site address (path and query), or null when it has no static copy.</summary>
    public static string? FileFor(string pathAndQuery)
    {
        var (path, query) = Split(pathAndQuery);
        if (!path.StartsWith('/') || path.Contains("..", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)
            || Unmirrored.Any(p => path.Equals(p, StringComparison.Ordinal) || path.StartsWith(p + "/", StringComparison.Ordinal)))
        {
            return null;
        }
        var relative = Uri.UnescapeDataString(path.TrimStart('/'));
        if (relative.Contains("..", StringComparison.Ordinal) || relative.Contains('\\', StringComparison.Ordinal) || relative.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }
        var last = relative.Length == 0 ? "" : relative[(relative.LastIndexOf('/') + 1)..];
        if (last.Contains('.', StringComparison.Ordinal))
        {
            return query.Length == 0 ? relative : null;
        }
        var folder = relative.TrimEnd('/');
        if (query.Length > 0)
        {
            var page = PageQuery().Match(query);
            if (!page.Success)
            {
                return null;
            }
            folder = (folder.Length == 0 ? "" : folder + "/") + "page/" + page.Groups[1].Value;
        }
        return folder.Length == 0 ? "index.html" : folder + "/index.html";
    }

    /// <summary>The link from one mirror file to another, relative to the first one's folder.</summary>
    public static string Link(string fromFile, string toFile)
    {
        var from = fromFile.Split('/')[..^1];
        var to = toFile.Split('/');
        var common = 0;
        while (common < from.Length && common < to.Length - 1 && from[common] == to[common])
        {
            common++;
        }
        var ups = string.Concat(Enumerable.Repeat("../", from.Length - common));
        return ups + string.Join('/', to[common..].Select(Uri.EscapeDataString));
    }

    private static (string Path, string Query) Split(string pathAndQuery)
    {
        var hash = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            pathAndQuery = pathAndQuery[..hash];
        }
        var mark = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return mark < 0 ? (pathAndQuery, "") : (pathAndQuery[..mark], pathAndQuery[(mark + 1)..]);
    }

    [GeneratedRegex("^page=([0-9]{1,7})$")]
    private static partial Regex PageQuery();
}
