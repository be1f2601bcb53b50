using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Jobs;

/// <summary>Something that reacts to content changes on this node (cache purge, search indexing…).</summary>
public interface IContentChangeHandler
{
    Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken);
}

/// <summary>
/// Follows the change log and hands new rows, in order, to every handler on this node. Each node
/// polls the shared database, so a change made on any node reaches all of them; a change made on
/// this node is picked up at once. Handlers that must not miss what happened while the node was
/// down (the search index) keep their own position in the log and catch up from it themselves.
/// </summary>
public sealed partial class ChangeFeed(IServiceScopeFactory scopes, IEnumerable<IContentChangeHandler> handlers, ILogger<ChangeFeed> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim _nudge = new(0);
    private readonly IContentChangeHandler[] _handlers = handlers.ToArray();
    private readonly ChangeLogHoles _holes = new();
    private long _position = -1;

    /// <summary>The last change every handler on this node has seen (holes aside: see <see cref="HasSeen"/>).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>True once every handler on this node has been handed change <paramref name="id"/>.</summary>
    public bool HasSeen(long id) => Position >= id && !_holes.IsOpen(id);

    /// <summary>Takes the position before the server takes requests, so no change made after start is missed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_handlers.Length > 0)
        {
            try
            {
                await PollOnceAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPollFailed(logger, exception);
            }
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Length == 0)
        {
            return;
        }
        void Nudge() => _nudge.Release();
        KiosqueDb.ChangesLogged += Nudge;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await PollOnceAsync(stoppingToken))
                    {
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The database may be down: pages keep being served from cache; try again later.
                    LogPollFailed(logger, exception);
                }
                await _nudge.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            KiosqueDb.ChangesLogged -= Nudge;
        }
    }

    /// <summary>
    /// Waits until this node's handlers have seen change <paramref name="id"/>, so whoever made a
    /// change sees its effect (a fresh page, not the cached one) on their very next request.
    /// </summary>
    public async Task WaitForAsync(long id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_handlers.Length == 0 || HasSeen(id))
        {
            return;
        }
        _nudge.Release();
        await Waiting.UntilAsync(() => HasSeen(id), timeout, cancellationToken);
    }

    /// <summary>Hands over the next batch; true when there may be more.</summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        if (_position < 0)
        {
            // A fresh node starts at the end of the log: its caches are empty anyway.
            _position = await db.ContentChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            return false;
        }
        var position = _position;
        var changes = await db.ContentChanges.AsNoTracking().Where(c => c.Id > position).OrderBy(c => c.Id).Take(500).ToListAsync(cancellationToken);
        // Read after the batch: a hole this batch reveals is checked on the next poll.
        var late = await _holes.ReadFilledAsync(db, cancellationToken);
        if (changes.Count == 0 && late.Count == 0)
        {
            return false;
        }
        IReadOnlyList<ContentChange> batch = late.Count == 0 ? changes : [.. late, .. changes];
        foreach (var handler in _handlers)
        {
            await handler.HandleAsync(batch, cancellationToken);
        }
        _holes.Remember(position, changes);
        if (changes.Count > 0)
        {
            Interlocked.Exchange(ref _position, changes[^1].Id);
        }
        return changes.Count == 500;
    }

    [LoggerMessage(LogLevel.Warning, "Reading the change log failed; retrying.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }
}

public static class ChangeFeedFilters
{
    /// <summary>
    /// After a newsroom action that changed content, waits (briefly) until this node has applied the
    /// change, so the editor's next look at the public page shows it rather than a cached copy.
    /// Other nodes follow within their poll interval.
    /// </summary>
    public static async ValueTask<object?> WaitForOwnChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var services = context.HttpContext.RequestServices;
        var written = services.GetRequiredService<KiosqueDb>().LastChangeId;
        if (written > 0)
        {
            await services.GetRequiredService<ChangeFeed>().WaitForAsync(written, TimeSpan.FromSeconds(2), context.HttpContext.RequestAborted);
        }
        return result;
    }
}
