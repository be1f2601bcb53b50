using System.Threading.Channels;

namespace Kiosque.Caching;

/// <summary>
/// Tells a Varnish or nginx front (<c>Kiosque:PurgeUrl</c>) which tags to drop: one
/// <c>PURGE</c> request per batch, with the tags space-separated in <c>xkey-purge</c> (Varnish's
/// xkey vmod) and <c>Surrogate-Key</c>. Sent in the background so a slow or absent front never
/// delays this node's own eviction; a failure is logged and the front's short max-age bounds the damage.
/// </summary>
public sealed partial class FrontPurger(IHttpClientFactory clients, KiosqueOptions options, ILogger<FrontPurger> logger) : BackgroundService
{
    /// <summary>Keys per request: keeps the header well under front servers' limits.</summary>
    private const int KeysPerRequest = 100;

    /// <summary>Beyond this, one purge of every page is cheaper than hundreds of requests.</summary>
    private const int MaxKeys = 2000;

    public const string ClientName = "front-purge";

    private readonly Channel<string[]> _queue = Channel.CreateUnbounded<string[]>(new UnboundedChannelOptions { SingleReader = true });

    public bool Enabled => !string.IsNullOrWhiteSpace(options.PurgeUrl);

    public void Purge(IReadOnlyCollection<string> tags)
    {
        if (!Enabled || tags.Count == 0)
        {
            return;
        }
        _queue.Writer.TryWrite(tags.Count > MaxKeys ? [PageTags.Site] : tags.ToArray());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var client = clients.CreateClient(ClientName);
        await foreach (var tags in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            foreach (var batch in tags.Chunk(KeysPerRequest))
            {
                var keys = string.Join(' ', batch);
                try
                {
                    using var request = new HttpRequestMessage(new HttpMethod("PURGE"), options.PurgeUrl);
                    request.Headers.TryAddWithoutValidation("xkey-purge", keys);
                    request.Headers.TryAddWithoutValidation("Surrogate-Key", keys);
                    using var response = await client.SendAsync(request, stoppingToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        LogPurgeRefused(logger, (int)response.StatusCode, keys);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    LogPurgeFailed(logger, exception, keys);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "The front answered {Status} to the purge of {Keys}.")]
    private static partial void LogPurgeRefused(ILogger logger, int status, string keys);

    [LoggerMessage(LogLevel.Warning, "Purging {Keys} at the front failed.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception, string keys);
}
