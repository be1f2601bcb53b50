using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Media;

/// <summary>Reports rendition work, for progress bars.</summary>
public interface IRenditionProgress
{
    void Started(MediaAsset asset, int files);

    void FileDone();
}

/// <summary>
/// Makes renditions in the background, from the database: every node polls for media whose
/// renditions are pending, claims one with a lease (one conditional UPDATE, so two nodes never
/// take the same medium at once), makes its files and marks it done. Files are content-addressed
/// and written atomically, so work redone after a crash or an expired lease is harmless.
/// Pages never wait for it: until a medium is done they show the JPEG made at upload.
/// </summary>
public sealed partial class RenditionWorker(
    IServiceScopeFactory scopes,
    RenditionMaker maker,
    IOptions<MediaOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<RenditionWorker> logger) : BackgroundService
{
    /// <summary>Long enough for the largest picture; a node that dies lets another take over after it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    public const int MaxAttempts = 3;

    private readonly SemaphoreSlim _nudge = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundRenditions)
        {
            return;
        }
        void Nudge()
        {
            if (_nudge.CurrentCount == 0)
            {
                _nudge.Release();
            }
        }
        ChangeCommits.Committed += Nudge;
        try
        {
            // Encoding waits until the server answers and has served its first pages: a starting
            // node (the demo seeds ~45 pictures) is fast to show its pages, which need nothing from here.
            var started = new TaskCompletionSource();
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            await Task.Delay(options.Value.StartDelay, clock, stoppingToken);
            await RequeueOutdatedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunPendingAsync(null, null, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The database may be down; pages go on with what they have. Try again later.
                    LogPollFailed(logger, exception);
                }
                await _nudge.WaitAsync(options.Value.PollInterval, stoppingToken);
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
    /// Makes the renditions of every pending medium this node can claim (or only of <paramref name="only"/>);
    /// returns how many media were finished. The CLI and tests call it directly.
    /// </summary>
    public async Task<int> RunPendingAsync(IReadOnlyCollection<int>? only, IRenditionProgress? progress, CancellationToken cancellationToken)
    {
        var finished = 0;
        while (await ClaimNextAsync(only, cancellationToken) is { } asset)
        {
            if (await RenderAsync(asset, progress, cancellationToken))
            {
                finished++;
            }
        }
        return finished;
    }

    /// <summary>After an upgrade that changed the rendition settings, older media are made again (their old files keep serving meanwhile).</summary>
    public async Task<int> RequeueOutdatedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        return await ChangeRecorder.UpdateAsync(db, db.Media.Where(m => m.Sha256 != null && !m.RenditionsPending && m.RenditionsVersion < RenditionPlan.Version), m => m.Id,
            s => s.SetProperty(m => m.RenditionsPending, true).SetProperty(m => m.RenditionAttempts, 0), cancellationToken);
    }

    private async Task<MediaAsset?> ClaimNextAsync(IReadOnlyCollection<int>? only, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = db.Media.AsNoTracking()
            .Where(m => m.RenditionsPending && m.Sha256 != null && m.RenditionAttempts < MaxAttempts && (m.RenditionLeaseUntil == null || m.RenditionLeaseUntil < now));
        if (only is not null)
        {
            pending = pending.Where(m => only.Contains(m.Id));
        }
        var candidates = await pending.OrderBy(m => m.Id).Select(m => m.Id).Take(8).ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            DateTime? until = now + Lease;
            // The claim: only one node's UPDATE can match while the lease is free.
            var claimed = await ChangeRecorder.UpdateAsync(db,
                db.Media.Where(m => m.Id == id && m.RenditionsPending && m.RenditionAttempts < MaxAttempts && (m.RenditionLeaseUntil == null || m.RenditionLeaseUntil < now)), m => m.Id,
                s => s.SetProperty(m => m.RenditionLeaseUntil, until).SetProperty(m => m.RenditionAttempts, m => m.RenditionAttempts + 1), cancellationToken);
            if (claimed == 1)
            {
                return await db.Media.AsNoTracking().FirstAsync(m => m.Id == id, cancellationToken);
            }
        }
        return null;
    }

    private async Task<bool> RenderAsync(MediaAsset asset, IRenditionProgress? progress, CancellationToken cancellationToken)
    {
        progress?.Started(asset, RenditionMaker.FileCount(asset));
        RenditionSet set;
        try
        {
            set = await maker.MakeAsync(asset, progress is null ? null : _ => progress.FileDone(), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: give the medium back at once rather than after the lease.
            await ReleaseAsync(asset.Id, asset.RenditionAttempts - 1, null, null);
            throw;
        }
        catch (MediaStoreException exception)
        {
            // The shared bucket is away: not the picture's fault, so the attempt does not count.
            LogRenditionFailed(logger, asset.Id, asset.RenditionAttempts, exception);
            await ReleaseAsync(asset.Id, asset.RenditionAttempts - 1, clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1), exception.Message);
            return false;
        }
        catch (Exception exception)
        {
            LogRenditionFailed(logger, asset.Id, asset.RenditionAttempts, exception);
            // Tried again later, a little later each time, at most MaxAttempts times.
            await ReleaseAsync(asset.Id, asset.RenditionAttempts, clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(asset.RenditionAttempts), exception.Message);
            return false;
        }
        await CompleteAsync(asset, set, cancellationToken);
        LogRendered(logger, asset.Id, set.FilesWritten);
        return true;
    }

    private async Task CompleteAsync(MediaAsset asset, RenditionSet set, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        // Pages showing this medium can now point to the renditions: caches and feeds hear of it from the change log.
        var done = await ChangeRecorder.UpdateAsync(db,
            db.Media.Where(m => m.Id == asset.Id && m.Sha256 == asset.Sha256 && m.FocalX == asset.FocalX && m.FocalY == asset.FocalY), m => m.Id,
            s => s
                .SetProperty(m => m.RenditionsPath, set.RenditionsPath)
                .SetProperty(m => m.CropsPath, set.CropsPath)
                .SetProperty(m => m.RenditionsVersion, RenditionPlan.Version)
                .SetProperty(m => m.RenditionsPending, false)
                .SetProperty(m => m.RenditionAttempts, 0)
                .SetProperty(m => m.RenditionLeaseUntil, (DateTime?)null)
                .SetProperty(m => m.RenditionError, (string?)null), cancellationToken);
        if (done == 0)
        {
            // An editor moved the focal point meanwhile: the widths stand, the crops are made again next.
            await ChangeRecorder.UpdateAsync(db, db.Media.Where(m => m.Id == asset.Id && m.Sha256 == asset.Sha256), m => m.Id,
                s => s
                    .SetProperty(m => m.RenditionsPath, set.RenditionsPath)
                    .SetProperty(m => m.RenditionsVersion, RenditionPlan.Version)
                    .SetProperty(m => m.RenditionAttempts, 0)
                    .SetProperty(m => m.RenditionLeaseUntil, (DateTime?)null), cancellationToken);
        }
    }

    private async Task ReleaseAsync(int id, int attempts, DateTime? retryAt, string? error)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            var message = error is null ? null : error.Length <= 500 ? error : error[..500];
            await ChangeRecorder.UpdateAsync(db, db.Media.Where(m => m.Id == id), m => m.Id, s => s
                .SetProperty(m => m.RenditionLeaseUntil, retryAt)
                .SetProperty(m => m.RenditionAttempts, Math.Max(0, attempts))
                .SetProperty(m => m.RenditionError, message), CancellationToken.None);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The lease runs out by itself.
            LogPollFailed(logger, exception);
        }
    }

    [LoggerMessage(LogLevel.Information, "Renditions of medium {Id} made ({Files} new files).")]
    private static partial void LogRendered(ILogger logger, int id, int files);

    [LoggerMessage(LogLevel.Error, "Renditions of medium {Id} failed (attempt {Attempt}).")]
    private static partial void LogRenditionFailed(ILogger logger, int id, int attempt, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Looking for pending renditions failed; retrying.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }
}
