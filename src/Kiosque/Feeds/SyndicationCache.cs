using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Kiosque.ChangeLog;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Feeds;

/// <summary>A rendered feed, sitemap or robots.txt, with the newest date it shows.</summary>
public sealed record Rendered(byte[] Body, string ContentType, DateTime? LastModified);

/// <summary>
/// Serves feeds and sitemaps with conditional GET (ETag, Last-Modified, 304) and keeps what it
/// rendered until the content changes. "The content changed" is read from the head of the change
/// log (<see cref="Content.ContentChange"/>), one indexed lookup per request: every save writes a
/// row in the same transaction, so a publish on any node is seen by the next request on every node,
/// with no window in which a stale feed is served and no purge message to lose.
/// <para>
/// Each document is kept gzipped too, and sent so to clients that accept it (crawlers do): a
/// sitemap page of 50,000 URLs is 13 MB of XML but about 1 MB gzipped, so its copy stays in memory
/// where the XML would not, and a second crawler's request costs no render.
/// </para>
/// </summary>
public sealed class SyndicationCache(TimeProvider clock, SiteFormat format, IOptions<SyndicationOptions> options)
{
    // Past it, the least recently served documents make room (a tenth of them at once, so the
    // sort is rare): a crawler walking thousands of addresses pushes out what it walked, not the
    // feeds every reader's app asks for each minute.
    private readonly int _maxEntries = Math.Max(1, options.Value.SyndicationCacheEntries);

    /// <summary>A counter, not a clock: what was served last has the highest number.</summary>
    private long _uses;

    // A 50,000-URL sitemap is megabytes: past this size only its gzipped copy is kept, to keep the
    // server's memory small; a client that does not accept gzip gets it decompressed.
    private const int MaxCachedBody = 512 * 1024;

    private sealed record Entry(long Version, DateTimeOffset? Expires, byte[]? Body, byte[] Gzip, string ContentType, string ETag, DateTimeOffset? LastModified)
    {
        public long LastUse;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <param name="key">What identifies the document (its path and format); the origin is added here.</param>
    /// <param name="render">Renders the document; null when it does not exist (nothing is cached then).</param>
    /// <param name="lifetime">For documents that change with time alone (the news sitemap's two days).</param>
    /// <param name="unchangedSince">
    /// For documents that only a few changes can affect (a sitemap page and its id range): true
    /// when nothing in the change log after the given position touches them, so a publish
    /// elsewhere does not force a costly render.
    /// </param>
    public async Task<IResult> ServeAsync(HttpContext http, KiosqueDb db, string key, Func<CancellationToken, Task<Rendered?>> render, Func<Task<IResult>> notFound,
        TimeSpan? lifetime = null, Func<long, CancellationToken, Task<bool>>? unchangedSince = null)
    {
        var cancellationToken = http.RequestAborted;
        var head = await ChangeLogQueries.NewestAsync(db, cancellationToken);
        var version = head?.Id ?? 0;
        key = format.Absolute(http.Request, "") + " " + key;
        var now = clock.GetUtcNow();

        _entries.TryGetValue(key, out var entry);
        byte[]? body = null;
        if (entry is not null && entry.Version < version && !(entry.Expires <= now) && unchangedSince is not null
            && await unchangedSince(entry.Version, cancellationToken))
        {
            entry = entry with { Version = version, LastUse = entry.LastUse };
            _entries[key] = entry;
        }
        if (entry is null || entry.Version != version || entry.Expires <= now)
        {
            var rendered = await render(cancellationToken);
            if (rendered is null)
            {
                _entries.TryRemove(key, out _);
                return await notFound();
            }
            body = rendered.Body;
            var etag = "\"" + Convert.ToBase64String(SHA256.HashData(body), 0, 18).Replace('+', '-').Replace('/', '_') + "\"";
            DateTimeOffset? lastModified = entry?.ETag == etag
                // Unchanged bytes keep their date, so If-Modified-Since clients are not sent them again.
                ? entry.LastModified
                : Latest(rendered.LastModified, head?.At);
            entry = new Entry(version, lifetime is null ? null : now + lifetime.Value, body.Length <= MaxCachedBody ? body : null, Compress(body), rendered.ContentType, etag, lastModified);
            if (_entries.Count >= _maxEntries && !_entries.ContainsKey(key))
            {
                EvictLeastRecentlyUsed();
            }
            _entries[key] = entry;
        }
        Interlocked.Exchange(ref entry.LastUse, Interlocked.Increment(ref _uses));

        var response = http.Response;
        var gzip = AcceptsGzip(http.Request);
        // Each content coding is a representation of its own, with its own strong ETag (RFC 9110).
        var sent = gzip ? entry.ETag[..^1] + "-gz\"" : entry.ETag;
        response.Headers[HeaderNames.ETag] = sent;
        response.Headers[HeaderNames.Vary] = HeaderNames.AcceptEncoding;
        if (entry.LastModified is DateTimeOffset modified)
        {
            response.Headers[HeaderNames.LastModified] = HeaderUtilities.FormatDate(modified);
        }
        // Caches may keep a copy but must ask again each time: a publish shows up at once, and
        // asking costs a 304.
        response.Headers[HeaderNames.CacheControl] = "public, no-cache";
        if (NotModified(http.Request, sent, entry.LastModified))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        if (gzip)
        {
            response.Headers[HeaderNames.ContentEncoding] = "gzip";
            return Results.Bytes(entry.Gzip, entry.ContentType);
        }
        return Results.Bytes(body ?? entry.Body ?? Decompress(entry.Gzip), entry.ContentType);
    }

    private void EvictLeastRecentlyUsed()
    {
        var excess = _entries.Count - _maxEntries + Math.Max(1, _maxEntries / 10);
        foreach (var (key, _) in _entries.ToArray().OrderBy(e => Interlocked.Read(ref e.Value.LastUse)).Take(excess))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private static byte[] Compress(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 8 + 64);
        // The fastest level: a 13 MB sitemap in tens of milliseconds, at about a tenth of its size.
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] gzipped)
    {
        using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var output = new MemoryStream(gzipped.Length * 8);
        input.CopyTo(output);
        return output.ToArray();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e =>
            (e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || e.Value.Equals("*", StringComparison.Ordinal)) && e.Quality is not 0);

    private static DateTimeOffset? Latest(DateTime? shown, DateTime? changed)
    {
        // Removing an article from a feed changes it without any date in it moving: the change
        // log's time is then the honest "last modified".
        var latest = (shown, changed) switch
        {
            (null, null) => (DateTime?)null,
            (DateTime a, null) => a,
            (null, DateTime b) => b,
            (DateTime a, DateTime b) => a > b ? a : b,
        };
        return latest is null ? null : new DateTimeOffset(DateTime.SpecifyKind(latest.Value, DateTimeKind.Utc));
    }

    /// <summary>RFC 9110: If-None-Match wins over If-Modified-Since; dates compare to the second.</summary>
    private static bool NotModified(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var headers = request.GetTypedHeaders();
        if (request.Headers.IfNoneMatch.Count > 0)
        {
            var current = new EntityTagHeaderValue(etag);
            return headers.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
        }
        if (headers.IfModifiedSince is DateTimeOffset since && lastModified is DateTimeOffset modified)
        {
            return modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond)) <= since;
        }
        return false;
    }
}
