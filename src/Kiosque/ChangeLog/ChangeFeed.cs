using Kiosque.Data;
using Kiosque.Jobs;

namespace Kiosque.ChangeLog;

/// <summary>
/// Follows the change log and hands new rows, in order, to every handler on this node (page cache,
/// WebSub, the search indexer's nudge). Each node polls the shared database, so a change made on
/// any node reaches all of them; a change committed on this node is picked up at once
/// (<see cref="ChangeCommits"/>). Handlers that must not miss what happened while the node was
/// down (the search index) keep their own <see cref="ChangeLogReader"/> and catch up from it.
/// </summary>
public sealed partial class ChangeFeed(IServiceScopeFactory scopes, IEnumerable<IContentChangeHandler> handlers, ILogger<ChangeFeed> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim _nudge = new(0);
    private readonly IContentChangeHandler[] _handlers = handlers.ToArray();
    private readonly ChangeLogReader _reader = new();

    /// <summary>The last change every handler on this node has seen (holes aside: see <see cref="HasSeen"/>).</summary>
    public long Position => _reader.Position;

    /// <summary>True once every handler on this node has been handed change <paramref name="id"/>.</summary>
    public bool HasSeen(long id) => _reader.HasSeen(id);

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
        ChangeCommits.Committed += Nudge;
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
            ChangeCommits.Committed -= Nudge;
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
        if (!_reader.IsStarted)
        {
            // A fresh node starts at the end of the log: its caches are empty anyway.
            _reader.StartAt(await ChangeLogReader.HeadAsync(db, cancellationToken));
            return false;
        }
        var batch = await _reader.ReadAsync(db, cancellationToken);
        if (batch.IsEmpty)
        {
            return false;
        }
        var all = batch.All;
        foreach (var handler in _handlers)
        {
            await handler.HandleAsync(all, cancellationToken);
        }
        _reader.Advance(batch);
        return batch.Full;
    }

    [LoggerMessage(LogLevel.Warning, "Reading the change log failed; retrying.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }
}
