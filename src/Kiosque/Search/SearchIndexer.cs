using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Search;

/// <summary>
/// Keeps this node's index current. The change feed only nudges it (<see cref="HandleAsync"/>):
/// the indexer reads the change log itself from the position stored in the index's last commit,
/// so it catches up after a restart or a crash and never depends on what the feed saw. It also
/// watches for a new generation written by <c>kiosque reindex</c> and swaps to it. A node with no
/// index at all builds one in the background; searches answer "not ready" meanwhile and related
/// articles fall back to their plain query.
/// </summary>
public sealed partial class SearchIndexer(SearchIndex index, IServiceScopeFactory scopes, ILogger<SearchIndexer> logger) : BackgroundService, IContentChangeHandler
{
    private const int BatchSize = 500;

    /// <summary>Without a nudge the log is still read this often: a failed read is retried, and a reindex is noticed.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _nudge = new(0);
    private readonly ChangeLogReader _reader = new(BatchSize);

    public Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count > 0 && changes[^1].Id > index.Position)
        {
            try
            {
                _nudge.Release();
            }
            catch (ObjectDisposedException)
            {
                // Shutting down: the next start catches up from the index's own position.
            }
        }
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await EnsureOpenAsync(stoppingToken);
                    while (await CatchUpOnceAsync(stoppingToken))
                    {
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The database may be down, or the disk full: searches go on with what is indexed.
                    LogIndexingFailed(logger, exception);
                }
                await _nudge.WaitAsync(IdleCheck, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Opens the index the pointer names (building one when there is none), or swaps to a newer one.</summary>
    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (SearchIndex.ReadPointer(index.Root) is null || index.IsOutdated)
        {
            // No index yet, or one from an older version (searched meanwhile): build one aside.
            var started = System.Diagnostics.Stopwatch.StartNew();
            var name = await SearchRebuild.RunAsync(scopes, index.Root, (_, _) => { }, cancellationToken);
            LogBuilt(logger, name, started.Elapsed.TotalSeconds);
        }
        if (index.OpenCurrent() || !_reader.IsStarted)
        {
            // A new index has its own position in the log: holes seen before it belong to the old one.
            _reader.StartAt(index.Position);
            index.DeleteStaleGenerations();
        }
    }

    /// <summary>Applies the next batch of the log after the index's position; true when there may be more.</summary>
    internal async Task<bool> CatchUpOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        var batch = await _reader.ReadAsync(db, cancellationToken);
        if (batch.IsEmpty)
        {
            return false;
        }
        var (upserts, deletes) = await ResolveAsync(db, batch.All, cancellationToken);
        index.Apply(upserts, deletes, batch.To);
        _reader.Advance(batch);
        return batch.Full;
    }

    /// <summary>Which articles to rewrite and which to remove, for a batch of changes.</summary>
    private static async Task<(List<IndexedArticle> Upserts, List<int> Deletes)> ResolveAsync(KiosqueDb db, IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        var articleIds = new HashSet<int>();
        foreach (var change in changes)
        {
            switch (change.Scope)
            {
                case ChangeScope.Article:
                    articleIds.Add(change.EntityId);
                    break;
                // Names of sections, tags and authors are indexed with each article that carries them.
                case ChangeScope.Section:
                    articleIds.UnionWith(await db.Articles.Where(a => a.SectionId == change.EntityId).Select(a => a.Id).ToListAsync(cancellationToken));
                    break;
                case ChangeScope.Tag:
                    articleIds.UnionWith(await db.ArticleTags.Where(t => t.TagId == change.EntityId).Select(t => t.ArticleId).ToListAsync(cancellationToken));
                    break;
                case ChangeScope.Author:
                    articleIds.UnionWith(await db.ArticleAuthors.Where(a => a.AuthorId == change.EntityId).Select(a => a.ArticleId).ToListAsync(cancellationToken));
                    break;
                default:
                    break;
            }
        }
        var upserts = new List<IndexedArticle>(articleIds.Count);
        foreach (var chunk in articleIds.Chunk(BatchSize))
        {
            upserts.AddRange(await ArticleDocuments.LoadAsync(db, chunk, cancellationToken));
        }
        // Whatever is no longer in the database (deleted) leaves the index.
        var found = upserts.Select(a => a.Id).ToHashSet();
        var deletes = articleIds.Where(id => !found.Contains(id)).ToList();
        return (upserts, deletes);
    }

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Search indexing failed; retrying.")]
    private static partial void LogIndexingFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Built the search index {Name} in {Seconds:F1} s.")]
    private static partial void LogBuilt(ILogger logger, string name, double seconds);
}
