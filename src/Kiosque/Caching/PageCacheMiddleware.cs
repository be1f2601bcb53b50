using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Caching;

/// <summary>Marks an endpoint whose GET responses the page cache may store, and which query keys change them.</summary>
public sealed record PageCachePolicy(IReadOnlyList<string> VaryByQuery);

/// <summary>
/// Serves opted-in public pages from <see cref="PageStore"/>: one render per page and change,
/// compressed once (Brotli at once, gzip on the first request that asks), answered with strong validators and 304s, and never for a
/// signed-in user or the newsroom. Runs after routing, so it knows the endpoint's policy.
/// </summary>
public sealed partial class PageCacheMiddleware(RequestDelegate next, PageStore store, PageCacheSettings settings, TimeProvider clock, ILogger<PageCacheMiddleware> logger)
{
    /// <summary>How long a request waits for another request already rendering the same page before rendering it itself.</summary>
    private static readonly TimeSpan FollowerPatience = TimeSpan.FromSeconds(5);

    private static readonly StringValues AcceptEncodingVary = HeaderNames.AcceptEncoding;
    private static readonly StringValues Brotli = "br";
    private static readonly StringValues Gzip = "gzip";
    private static readonly StringValues NoStore = "private, no-store";
    private static readonly StringValues Revalidate = "no-cache";

    /// <summary>Response headers a page may not have stored with it: the cache sets its own, or the server does.</summary>
    private static readonly HashSet<string> Unstored = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Date, HeaderNames.Server, HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Connection,
        HeaderNames.CacheControl, HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.Vary, HeaderNames.Expires, HeaderNames.Age,
        "Surrogate-Key", "xkey",
    };

    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Coding> _codings = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (PageCacheSettings.IsNeverCached(request.Path))
        {
            http.Response.OnStarting(DefaultNoStore, http);
            await next(http);
            return;
        }
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<PageCachePolicy>();
        if (policy is null || !HttpMethods.IsGet(request.Method))
        {
            await next(http);
            return;
        }
        if (await PageCacheSettings.IsPersonalAsync(http, settings))
        {
            // A signed-in reader's page may hold what only they may see: never stored, here or on the way.
            http.Response.OnStarting(static state => { ((HttpContext)state).Response.Headers.CacheControl = NoStore; return Task.CompletedTask; }, http);
            await next(http);
            return;
        }
        if (!settings.Enabled)
        {
            await next(http);
            return;
        }

        var key = Key(request, policy, settings.PublicOrigin);
        var now = clock.GetUtcNow();
        store.TryGet(key, out var cached);
        if (cached is not null && cached.ExpiresAt > now)
        {
            await ServeAsync(http, cached);
            return;
        }

        var epoch = store.Epoch;
        var mine = new Flight(epoch);
        var flight = _flights.GetOrAdd(key, mine);
        if (flight != mine && flight.Epoch == epoch)
        {
            // Someone is already rendering this page since the last change: wait for theirs.
            try
            {
                var shared = await flight.Result.Task.WaitAsync(FollowerPatience, http.RequestAborted);
                if (shared is not null)
                {
                    await ServeAsync(http, shared);
                    return;
                }
            }
            catch (TimeoutException)
            {
            }
            await RenderAsync(http, key, epoch, cached, flight: null);
            return;
        }
        if (flight != mine)
        {
            // That render began before a change: it must not be shared; lead a fresh one.
            _flights[key] = mine;
        }
        try
        {
            await RenderAsync(http, key, epoch, cached, mine);
        }
        finally
        {
            mine.Result.TrySetResult(null);
            _flights.TryRemove(new KeyValuePair<string, Flight>(key, mine));
        }
    }

    private async Task RenderAsync(HttpContext http, string key, long epoch, PageEntry? stale, Flight? flight)
    {
        var response = http.Response;
        var serverBody = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream(32 * 1024);
        var capture = new CaptureBodyFeature(buffer);
        var tags = new PageTags();
        http.Features.Set<IHttpResponseBodyFeature>(capture);
        http.Features.Set(tags);
        PageEntry? stored = null;
        // Registered first, so it runs after any callback the page adds: a cookie set at the last
        // moment still makes the response private and takes it out of the cache.
        response.OnStarting(() =>
        {
            if (response.Headers.ContainsKey(HeaderNames.SetCookie))
            {
                if (stored is not null)
                {
                    store.Remove(key, stored);
                }
                response.Headers.CacheControl = NoStore;
                response.Headers.Remove("Surrogate-Key");
                response.Headers.Remove("xkey");
            }
            return Task.CompletedTask;
        });
        try
        {
            await next(http);
            await capture.CompleteAsync();
        }
        catch (Exception exception) when (stale is not null && !http.RequestAborted.IsCancellationRequested)
        {
            // The database may be down: a page we served before beats an error page.
            LogServedStale(logger, exception, key);
            http.Features.Set(serverBody);
            await ServeAsync(http, stale);
            return;
        }
        finally
        {
            http.Features.Set(serverBody);
        }

        if (response.StatusCode >= 500 && stale is not null)
        {
            await ServeAsync(http, stale);
            return;
        }
        // A redirect carries the request's query string into its Location: stored only without one.
        if (IsStorable(response) && !(response.StatusCode != StatusCodes.Status200OK && http.Request.QueryString.HasValue))
        {
            var headers = response.Headers.Where(h => !Unstored.Contains(h.Key)).ToArray();
            var entry = PageEntry.Create(response.StatusCode, headers, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), IsCompressible(response.ContentType),
                tags.All, clock.GetUtcNow(), epoch, settings.Lifetime);
            if (store.TrySet(key, entry))
            {
                stored = entry;
            }
            flight?.Result.TrySetResult(entry);
            await ServeAsync(http, entry);
            return;
        }

        // Not for the cache (a 404, a cookie, the page's own no-store): sent as rendered.
        if (!response.Headers.ContainsKey(HeaderNames.CacheControl))
        {
            response.Headers.CacheControl = response.Headers.ContainsKey(HeaderNames.SetCookie) ? NoStore : Revalidate;
        }
        response.ContentLength = buffer.Length;
        await serverBody.Stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), http.RequestAborted);
    }

    private async Task ServeAsync(HttpContext http, PageEntry entry)
    {
        var request = http.Request;
        var response = http.Response;
        var headers = response.Headers;
        var (body, etag, coding) = Choose(request.Headers.AcceptEncoding, entry);
        headers.Vary = AcceptEncodingVary;
        headers.ETag = etag;
        headers.LastModified = entry.LastModifiedHeader;
        headers.CacheControl = settings.PageCacheControl;
        headers["Surrogate-Key"] = entry.SurrogateKey;
        headers["xkey"] = entry.SurrogateKey;
        if (IsNotModified(request, etag, entry))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = entry.Status;
        foreach (var (name, value) in entry.Headers)
        {
            headers[name] = value;
        }
        if (coding.Count > 0)
        {
            headers.ContentEncoding = coding;
        }
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>Brotli, else gzip, else identity, by the client's q-values (a missing coding takes <c>*</c>'s).</summary>
    internal (byte[] Body, StringValues ETag, StringValues Coding) Choose(StringValues acceptEncoding, PageEntry entry)
    {
        if (!entry.IsCompressed)
        {
            return (entry.IdentityBody(), entry.ETagIdentity, StringValues.Empty);
        }
        // Browsers send a handful of distinct headers: each is parsed once.
        var header = acceptEncoding.Count == 1 ? acceptEncoding[0] ?? "" : acceptEncoding.ToString();
        if (!_codings.TryGetValue(header, out var coding))
        {
            coding = Negotiate(acceptEncoding);
            if (_codings.Count < 256)
            {
                _codings[header] = coding;
            }
        }
        return coding switch
        {
            Coding.Brotli => (entry.Brotli!, entry.ETagBrotli, Brotli),
            Coding.Gzip => (entry.GzipBody(store.Grew), entry.ETagGzip, Gzip),
            _ => (entry.IdentityBody(store.Grew), entry.ETagIdentity, StringValues.Empty),
        };
    }

    internal enum Coding
    {
        Identity,
        Gzip,
        Brotli,
    }

    internal static Coding Negotiate(StringValues acceptEncoding)
    {
        double br = -1, gzip = -1, any = -1;
        foreach (var header in acceptEncoding)
        {
            foreach (var item in (header ?? "").Split(','))
            {
                var part = item.AsSpan().Trim();
                var semicolon = part.IndexOf(';');
                var token = (semicolon < 0 ? part : part[..semicolon]).Trim();
                var q = 1.0;
                if (semicolon >= 0)
                {
                    var parameter = part[(semicolon + 1)..].Trim();
                    if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                        && !double.TryParse(parameter[2..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out q))
                    {
                        q = 0;
                    }
                }
                if (token.Equals("br", StringComparison.OrdinalIgnoreCase))
                {
                    br = q;
                }
                else if (token.Equals("gzip", StringComparison.OrdinalIgnoreCase) || token.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
                {
                    gzip = q;
                }
                else if (token.SequenceEqual("*"))
                {
                    any = q;
                }
            }
        }
        br = br < 0 ? Math.Max(any, 0) : br;
        gzip = gzip < 0 ? Math.Max(any, 0) : gzip;
        if (br > 0 && br >= gzip)
        {
            return Coding.Brotli;
        }
        return gzip > 0 ? Coding.Gzip : Coding.Identity;
    }

    /// <summary>If-None-Match (weak comparison, as RFC 9110 asks for it) wins over If-Modified-Since.</summary>
    private static bool IsNotModified(HttpRequest request, StringValues etag, PageEntry entry)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            var ours = etag.ToString();
            foreach (var header in ifNoneMatch)
            {
                foreach (var item in (header ?? "").Split(','))
                {
                    var candidate = item.AsSpan().Trim();
                    if (candidate.StartsWith("W/", StringComparison.Ordinal))
                    {
                        candidate = candidate[2..];
                    }
                    if (candidate.SequenceEqual("*") || candidate.SequenceEqual(ours))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        var ifModifiedSince = request.Headers.IfModifiedSince;
        return ifModifiedSince.Count == 1
            && HeaderUtilities.TryParseDate(ifModifiedSince.ToString(), out var since)
            && entry.LastModified <= since;
    }

    private static bool IsStorable(HttpResponse response)
    {
        if (response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status301MovedPermanently or StatusCodes.Status308PermanentRedirect))
        {
            return false;
        }
        var headers = response.Headers;
        if (headers.ContainsKey(HeaderNames.SetCookie) || headers.ContainsKey(HeaderNames.ContentEncoding))
        {
            return false;
        }
        var cacheControl = headers.CacheControl.ToString();
        return !cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase) && !cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsCompressible(string? contentType) =>
        contentType is not null && (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The public origin (or, without one configured, the request's scheme and host, which absolute
    /// links then follow) and path, plus only the query keys the page reads, so tracking parameters
    /// share an entry.
    /// </summary>
    internal static string Key(HttpRequest request, PageCachePolicy policy, string? publicOrigin)
    {
        var origin = publicOrigin ?? string.Concat(request.Scheme, "://", request.Host.Value);
        var key = string.Concat(origin, request.PathBase.Value, request.Path.Value);
        if (!request.QueryString.HasValue || policy.VaryByQuery.Count == 0)
        {
            return key;
        }
        var query = request.Query;
        foreach (var name in policy.VaryByQuery)
        {
            if (query.TryGetValue(name, out var values))
            {
                key = string.Concat(key, "\n", name, "=", string.Join('\u001f', values.ToArray()));
            }
        }
        return key;
    }

    private static Task DefaultNoStore(object state)
    {
        var headers = ((HttpContext)state).Response.Headers;
        if (!headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = NoStore;
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "Rendering {Key} failed; served the cached copy.")]
    private static partial void LogServedStale(ILogger logger, Exception exception, string key);

    private sealed class Flight(long epoch)
    {
        public long Epoch { get; } = epoch;

        public TaskCompletionSource<PageEntry?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
