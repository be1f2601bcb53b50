using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kiosque.Caching;
using Kiosque.ChangeLog;
using Kiosque.Data;
using Kiosque.Feeds;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Mirror;

/// <summary>
/// Writes the public site into a folder as static files, signed. Pages are requested from the
/// site itself (<see cref="MirrorSite"/>), starting from the home page, the feeds and the sitemaps
/// and following every link, and their links are made relative (<see cref="MirrorLayout"/>).
/// A second run reads the change log since the first and requests again only the pages whose
/// page-cache tags a change touched (the same rule that evicts the live cache); files no page
/// reaches any more (an unpublished article) are removed. Every file is written aside and renamed,
/// so a run killed half-way leaves whole files, and the manifest, written last, still describes
/// the previous run: the next one starts over from there.
/// </summary>
public static partial class MirrorExport
{
    public const string StagingFolder = ".kiosque-staging";

    /// <summary>Beyond this many changes since the last run, everything is requested again.</summary>
    private const int MaxChanges = 100_000;

    private static readonly string[] Seeds =
    [
        "/", "/rss.xml", "/atom.xml", "/feed.json", "/robots.txt", Sitemaps.IndexPath, "/favicon.svg", "/logo.png",
        AuthenticityPage.Path, AuthenticityPage.PublicKeyPath,
    ];

    public static async Task<MirrorResult> RunAsync(MirrorSite site, string directory, MinisignSecretKey key, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        directory = Path.GetFullPath(directory);
        var previous = CheckFolder(directory);
        var staging = Path.Combine(directory, StagingFolder);
        if (Directory.Exists(staging))
        {
            // Left by a run that was killed: its files were never renamed into place.
            Directory.Delete(staging, recursive: true);
        }
        Directory.CreateDirectory(staging);
        if (previous is null)
        {
            // Claims the folder before the first file: a first run killed half-way is taken up
            // again by the next, instead of leaving a folder of files that is no one's mirror.
            new MirrorManifest().Write(directory, staging);
        }
        else if (previous.Edition == 0)
        {
            // A first run that never finished: nothing of it is known to be current.
            previous = null;
        }

        var options = site.Services.GetRequiredService<IOptions<KiosqueOptions>>().Value;
        long head;
        HashSet<string> changed;
        var everything = previous is null;
        await using (var scope = site.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            head = (await ChangeLogQueries.NewestAsync(db, cancellationToken))?.Id ?? 0;
            changed = [];
            if (previous is not null)
            {
                var changes = await ChangeLogQueries.SinceAsync(db, previous.Position, _ => true, MaxChanges, cancellationToken);
                if (changes.Count > MaxChanges)
                {
                    everything = true;
                }
                else
                {
                    (changed, everything) = await PageCacheInvalidator.TagsAsync(changes, db, cancellationToken);
                }
            }
        }

        var text = site.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var origins = new[] { site.Client.BaseAddress!.GetLeftPart(UriPartial.Authority), string.IsNullOrEmpty(options.PublicUrl) ? null : new Uri(options.PublicUrl).GetLeftPart(UriPartial.Authority) }
            .Where(o => o is not null).Select(o => o!).ToArray();
        var context = new Run(site.Client, directory, staging, previous, changed, everything, origins, options.CultureInfo, text);

        var frontier = Seeds.ToList();
        var done = 0;
        while (frontier.Count > 0)
        {
            var next = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(frontier, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount * 2), CancellationToken = cancellationToken }, async (url, token) =>
            {
                foreach (var link in await context.VisitAsync(url, token))
                {
                    next.Add(link);
                }
                progress?.Invoke(Interlocked.Increment(ref done), context.Seen);
            });
            frontier = [.. next.Distinct(StringComparer.Ordinal)];
        }

        // Files no page reaches any more: only ever files this export wrote (listed in its manifest).
        var removed = 0;
        foreach (var gone in (previous?.Files.Keys.ToList() ?? []).Where(f => !context.Files.ContainsKey(f)))
        {
            var path = Path.Combine(directory, gone);
            if (File.Exists(path))
            {
                File.Delete(path);
                removed++;
                RemoveEmptyFolders(directory, Path.GetDirectoryName(path)!);
            }
        }

        var manifest = new MirrorManifest
        {
            Position = head,
            Edition = (previous?.Edition ?? 0) + 1,
            EditionTime = DateTime.UtcNow,
        };
        foreach (var (file, entry) in context.Files)
        {
            manifest.Files[file] = entry;
        }
        var siteName = string.IsNullOrEmpty(options.PublicUrl) ? options.SiteName : options.PublicUrl;
        EditionSignature.Write(directory, staging, manifest, key, siteName);
        manifest.Write(directory, staging);
        Directory.Delete(staging, recursive: true);
        return new MirrorResult(manifest.Edition, manifest.Files.Count, context.Rendered, context.Written, context.Reused, removed);
    }

    /// <summary>The folder's manifest; null for a new or empty folder. A folder with other files and no manifest is refused.</summary>
    private static MirrorManifest? CheckFolder(string directory)
    {
        if (File.Exists(directory))
        {
            throw new MirrorException($"{directory} is a file, not a folder.");
        }
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            return null;
        }
        MirrorManifest? manifest;
        try
        {
            manifest = MirrorManifest.Read(directory);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new MirrorException($"{Path.Combine(directory, MirrorManifest.FileName)} is damaged: move the folder aside and export into a new one.");
        }
        if (manifest is null && Directory.EnumerateFileSystemEntries(directory).Any(e => Path.GetFileName(e) != StagingFolder))
        {
            throw new MirrorException($"{directory} holds files and is not a Kiosque mirror (no {MirrorManifest.FileName}): nothing was written. Give an empty or new folder.");
        }
        return manifest;
    }

    private static void RemoveEmptyFolders(string root, string folder)
    {
        while (folder.Length > root.Length && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private sealed partial class Run(HttpClient client, string directory, string staging, MirrorManifest? previous, HashSet<string> changed, bool everything,
        string[] origins, System.Globalization.CultureInfo culture, IStringLocalizer text)
    {
        private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);
        private int _rendered;
        private int _written;
        private int _reused;

        public ConcurrentDictionary<string, MirrorFile> Files { get; } = new(StringComparer.Ordinal);

        public int Seen => _seen.Count;

        public int Rendered => _rendered;

        public int Written => _written;

        public int Reused => _reused;

        /// <returns>The site addresses the file links to.</returns>
        public async Task<IReadOnlyList<string>> VisitAsync(string url, CancellationToken cancellationToken)
        {
            var file = MirrorLayout.FileFor(url);
            if (file is null || !_seen.TryAdd(file, true))
            {
                return [];
            }
            var full = Path.Combine(directory, file);
            MirrorFile? old = null;
            if (previous?.Files.TryGetValue(file, out old) == true && old is not null && File.Exists(full)
                && (old.Immutable || (!everything && old.Tags.Length > 0 && !old.Tags.Any(changed.Contains))))
            {
                Files[file] = old;
                Interlocked.Increment(ref _reused);
                return old.Links;
            }

            using var response = await client.GetAsync(url, cancellationToken);
            Interlocked.Increment(ref _rendered);
            if (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
                && response.Headers.Location is { } location)
            {
                var target = SitePath(location.OriginalString);
                return target is null ? [] : [target];
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return [];
            }
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var links = new List<string>();
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (mediaType == "text/html")
            {
                body = Encoding.UTF8.GetBytes(RewriteHtml(Encoding.UTF8.GetString(body), file, links));
            }
            else if (file.StartsWith("sitemap", StringComparison.Ordinal) && mediaType.EndsWith("xml", StringComparison.Ordinal))
            {
                // Sitemaps name every article and list: the crawl finds them all, however deep the pages.
                foreach (Match loc in SitemapLocation().Matches(Encoding.UTF8.GetString(body)))
                {
                    if (SitePath(WebUtility.HtmlDecode(loc.Groups[1].Value)) is { } path)
                    {
                        links.Add(path);
                    }
                }
            }
            var tags = response.Headers.TryGetValues("Surrogate-Key", out var keys)
                ? string.Join(' ', keys).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            var immutable = response.Headers.CacheControl?.Extensions.Any(e => e.Name == "immutable") == true
                || response.Headers.CacheControl?.ToString().Contains("immutable", StringComparison.Ordinal) == true;
            var sha = Convert.ToHexStringLower(SHA256.HashData(body));
            if (old is null || old.Sha256 != sha || !File.Exists(full))
            {
                var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N"));
                await File.WriteAllBytesAsync(temporary, body, cancellationToken);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.Move(temporary, full, overwrite: true);
                Interlocked.Increment(ref _written);
            }
            string[] unique = [.. links.Distinct(StringComparer.Ordinal)];
            Files[file] = new MirrorFile(url, sha, tags, unique, immutable);
            return unique;
        }

        /// <summary>Site links made relative; what a static copy cannot do (search, the Mastodon hand-off, oEmbed) taken out.</summary>
        private string RewriteHtml(string html, string file, List<string> links)
        {
            var home = MirrorLayout.Link(file, "index.html");
            html = SearchForm().Replace(html, _ => $"<p class=\"site-search\"><a href=\"{home}\">{WebUtility.HtmlEncode(Localized("Mirror.NoSearch"))}</a></p>");
            html = LinkElement().Replace(html, m => SitePath(WebUtility.HtmlDecode(m.Groups[1].Value)) is { } path && MirrorLayout.FileFor(path) is null ? "" : m.Value);
            html = ListItemLink().Replace(html, m => SitePath(WebUtility.HtmlDecode(m.Groups[1].Value)) is { } path && MirrorLayout.FileFor(path) is null ? "" : m.Value);
            html = UrlAttribute().Replace(html, m => $"{m.Groups[1].Value}=\"{WebUtility.HtmlEncode(Relative(WebUtility.HtmlDecode(m.Groups[2].Value), file, home, links))}\"");
            return SrcsetAttribute().Replace(html, m =>
            {
                var candidates = WebUtility.HtmlDecode(m.Groups[1].Value).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(c =>
                    {
                        var space = c.IndexOf(' ', StringComparison.Ordinal);
                        var url = space < 0 ? c : c[..space];
                        return Relative(url, file, home, links) + (space < 0 ? "" : c[space..]);
                    });
                return $" srcset=\"{WebUtility.HtmlEncode(string.Join(", ", candidates))}\"";
            });
        }

        private string Localized(string name)
        {
            var saved = System.Globalization.CultureInfo.CurrentUICulture;
            System.Globalization.CultureInfo.CurrentUICulture = culture;
            try
            {
                return text[name];
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentUICulture = saved;
            }
        }

        private string Relative(string url, string file, string home, List<string> links)
        {
            if (SitePath(url) is not { } path)
            {
                return url;
            }
            var fragment = path.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? path[hash..] : "";
            if (MirrorLayout.FileFor(path) is not { } target)
            {
                return home;
            }
            links.Add(fragment.Length > 0 ? path[..^fragment.Length] : path);
            return MirrorLayout.Link(file, target) + fragment;
        }

        /// <summary>The path and query of an address on this site; null for another host, a fragment alone, mailto: and the like.</summary>
        private string? SitePath(string url)
        {
            if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal))
            {
                return url;
            }
            foreach (var origin in origins)
            {
                if (url.StartsWith(origin, StringComparison.OrdinalIgnoreCase) && (url.Length == origin.Length || url[origin.Length] is '/' or '?' or '#'))
                {
                    var rest = url[origin.Length..];
                    return rest.StartsWith('/') ? rest : "/" + rest;
                }
            }
            return null;
        }

        [GeneratedRegex("""<form role="search"[\s\S]*?</form>""")]
        private static partial Regex SearchForm();

        [GeneratedRegex("""<link [^>]*href="([^"]*)"[^>]*>\n?""")]
        private static partial Regex LinkElement();

        [GeneratedRegex("""<li><a href="([^"]*)"[^>]*>[^<]*</a></li>\s*""")]
        private static partial Regex ListItemLink();

        [GeneratedRegex("(\\s(?:href|src|action))=\"([^\"]*)\"")]
        private static partial Regex UrlAttribute();

        [GeneratedRegex("\\ssrcset=\"([^\"]*)\"")]
        private static partial Regex SrcsetAttribute();

        [GeneratedRegex("<loc>([^<]*)</loc>")]
        private static partial Regex SitemapLocation();
    }
}
