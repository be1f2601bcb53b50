using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Site;

/// <summary>One Server-Sent Event: its id is the change log's id of the change it reports.</summary>
public sealed record LiveEvent(long Id, string Name, string Data)
{
    public string ToWire() => string.Create(CultureInfo.InvariantCulture, $"id: {Id}\nevent: {Name}\ndata: {Data}\n\n");
}

/// <summary>A reader's open stream: a bounded queue the node fills and the connection drains.</summary>
public sealed class LiveSubscriber(int articleId, int capacity)
{
    private readonly Channel<LiveEvent> _queue = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public int ArticleId { get; } = articleId;

    public ChannelReader<LiveEvent> Events => _queue.Reader;

    /// <summary>
    /// Queues an event without waiting; a reader too slow to keep up is dropped (its stream ends),
    /// and its browser reconnects with Last-Event-ID and gets what it missed from the database.
    /// </summary>
    public bool Offer(LiveEvent live)
    {
        if (_queue.Writer.TryWrite(live))
        {
            return true;
        }
        _queue.Writer.TryComplete();
        return false;
    }

    public void Close() => _queue.Writer.TryComplete();
}

/// <summary>
/// The live pages' streams on this node. Follows the change log (an <see cref="IContentChangeHandler"/>
/// fed by <see cref="ChangeFeed"/>), so an entry posted on any node reaches the readers of every
/// node; each change is rendered once and offered to every reader of its page. Event ids are the
/// change log's ids: ordered, shared by all nodes and kept across restarts, so a reconnecting
/// browser's Last-Event-ID is replayed from the database (<see cref="ReplayAsync"/>).
/// </summary>
public sealed partial class LiveBroadcast(IServiceScopeFactory scopes, IOptions<KiosqueOptions> options, ILogger<LiveBroadcast> logger) : IContentChangeHandler
{
    /// <summary>How many events a reader may have waiting before it is dropped.</summary>
    public const int QueueCapacity = 256;

    /// <summary>At most this many changes are replayed to a reconnecting reader; beyond, it should reload the page.</summary>
    public const int ReplayLimit = 500;

    private readonly ConcurrentDictionary<int, ConcurrentDictionary<LiveSubscriber, byte>> _readers = new();

    public int ReaderCount => _readers.Values.Sum(r => r.Count);

    public LiveSubscriber Subscribe(int articleId)
    {
        var subscriber = new LiveSubscriber(articleId, QueueCapacity);
        _readers.GetOrAdd(articleId, _ => new()).TryAdd(subscriber, 0);
        return subscriber;
    }

    public void Unsubscribe(LiveSubscriber subscriber)
    {
        if (_readers.TryGetValue(subscriber.ArticleId, out var readers))
        {
            readers.TryRemove(subscriber, out _);
        }
        subscriber.Close();
    }

    public async Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        if (_readers.IsEmpty)
        {
            return;
        }
        var concerned = changes.Where(c => ArticleOf(c) is int id && _readers.TryGetValue(id, out var r) && !r.IsEmpty).ToList();
        if (concerned.Count == 0)
        {
            return;
        }
        try
        {
            // Rendered outside any request: the site's language, as pages have it.
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = options.Value.CultureInfo;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            var markup = scope.ServiceProvider.GetRequiredService<LiveEntries>();
            var (events, hidden) = await EventsAsync(db, markup, concerned, cancellationToken);
            foreach (var articleId in hidden)
            {
                // Unpublished: its readers' streams end, and their reconnection finds nothing.
                if (_readers.TryRemove(articleId, out var gone))
                {
                    foreach (var reader in gone.Keys)
                    {
                        reader.Close();
                    }
                }
            }
            foreach (var (articleId, live) in events)
            {
                if (_readers.TryGetValue(articleId, out var readers))
                {
                    foreach (var reader in readers.Keys)
                    {
                        if (!reader.Offer(live))
                        {
                            readers.TryRemove(reader, out _);
                        }
                    }
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The stream must never hold back the other handlers of the feed; readers catch up on reconnection.
            LogFailed(logger, exception);
        }
    }

    /// <summary>The events a reader who saw change <paramref name="lastEventId"/> has missed on page <paramref name="articleId"/>, oldest first.</summary>
    public static async Task<List<LiveEvent>> ReplayAsync(KiosqueDb db, LiveEntries markup, int articleId, long lastEventId, CancellationToken cancellationToken)
    {
        var suffix = " " + articleId.ToString(CultureInfo.InvariantCulture);
        var changes = await ChangeLogQueries.SinceAsync(db, lastEventId,
            c => (c.Scope == ChangeScope.LiveEntry && c.After!.EndsWith(suffix)) || (c.Scope == ChangeScope.Article && c.EntityId == articleId), ReplayLimit, cancellationToken);
        var (events, _) = await EventsAsync(db, markup, changes, cancellationToken);
        return events.Select(e => e.Event).ToList();
    }

    private static int? ArticleOf(ContentChange change) =>
        change.Scope == ChangeScope.Article ? change.EntityId : LiveEntryChange.Parse(change)?.ArticleId;

    /// <summary>
    /// The events for these changes, each entry rendered as it is now (an entry since deleted shows
    /// as deleted), for pages readers may see; and the pages they may no longer see.
    /// </summary>
    private static async Task<(List<(int ArticleId, LiveEvent Event)> Events, List<int> Hidden)> EventsAsync(KiosqueDb db, LiveEntries markup, IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        var articleIds = changes.Select(ArticleOf).OfType<int>().Distinct().ToList();
        var pages = await db.Published().Where(a => articleIds.Contains(a.Id) && a.Coverage != Coverage.None)
            .Select(a => new { a.Id, a.Coverage }).ToDictionaryAsync(a => a.Id, a => a.Coverage, cancellationToken);
        var entryIds = changes.Where(c => c.Scope == ChangeScope.LiveEntry).Select(c => c.EntityId).Distinct().ToList();
        var entries = entryIds.Count == 0 ? [] : await LiveEntries.Views(db.LiveEntries.AsNoTracking().Where(e => entryIds.Contains(e.Id))).ToDictionaryAsync(e => e.Id, cancellationToken);
        var refs = await LiveEntries.ReferencesAsync(db, entries.Values, cancellationToken);
        var events = new List<(int, LiveEvent)>();
        var ended = new HashSet<int>();
        foreach (var change in changes)
        {
            if (ArticleOf(change) is not int articleId || !pages.TryGetValue(articleId, out var coverage))
            {
                continue;
            }
            if (change.Scope == ChangeScope.Article)
            {
                if (coverage == Coverage.Ended && ended.Add(articleId))
                {
                    events.Add((articleId, new LiveEvent(change.Id, "end", "{}")));
                }
                continue;
            }
            if (LiveEntryChange.Parse(change) is { } what && entries.TryGetValue(change.EntityId, out var entry))
            {
                var html = what.Kind == LiveEntryChange.PinnedKind ? markup.Render(entry, refs, "epingle-" + entry.Id) : markup.Render(entry, refs);
                var data = JsonSerializer.Serialize(new { id = entry.Id, html });
                events.Add((articleId, new LiveEvent(change.Id, what.Kind, data)));
            }
        }
        return (events, articleIds.Where(id => !pages.ContainsKey(id)).ToList());
    }

    [LoggerMessage(LogLevel.Warning, "Sending live entries to readers failed; they catch up when they reconnect.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
