using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Newsroom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Jobs;

/// <summary>
/// Publishes scheduled articles whose time has come. The schedule is the articles table itself
/// (Status = Scheduled, ScheduledAt), so nothing is lost in a restart and a node that was down
/// catches up on its first poll. Each article is claimed by one conditional UPDATE: when several
/// nodes poll at once, exactly one of them sees its row change and publishes it, once.
/// The publish checks run again at that moment (a picture may have lost its credit since it was
/// scheduled): an article that fails them goes back to review instead, with an audit entry
/// saying why, rather than going live or being retried at every poll.
/// </summary>
public sealed partial class ScheduledPublisher(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<ScheduledPublisher> logger) : BackgroundService
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Kiosque:SchedulerSeconds", 5.0), 0.05, 3600));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PublishDueAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogFailed(logger, exception);
                }
                // Real time between polls: a fake clock in tests decides what is due, not how often we look.
                await Task.Delay(_interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Publishes everything due now; returns how many articles this node published.</summary>
    public async Task<int> PublishDueAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        var text = scope.ServiceProvider.GetRequiredService<IStringLocalizer<SharedResource>>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now)
            .OrderBy(a => a.ScheduledAt).Take(100).ToListAsync(cancellationToken);
        var published = 0;
        var changed = false;
        foreach (var article in due)
        {
            var problems = await PublishChecks.ProblemsAsync(db, article, text, cancellationToken);
            if (problems.Count > 0)
            {
                changed |= await SendBackToReviewAsync(db, article, problems, now, cancellationToken);
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Articles
                .Where(a => a.Id == article.Id && a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(a => a.Status, ArticleStatus.Published)
                    .SetProperty(a => a.PublishedAt, a => a.PublishedAt ?? now)
                    .SetProperty(a => a.UpdatedAt, now), cancellationToken);
            if (claimed == 0)
            {
                // Another node got there first, or an editor changed the schedule meanwhile.
                continue;
            }
            db.ContentChanges.Add(new ContentChange { At = now, Scope = ChangeScope.Article, EntityId = article.Id });
            Audit.Record(db, clock, null, "article.published", $"#{article.Id} {article.Slug}", "scheduled");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            published++;
            LogPublished(logger, article.Id, article.Slug);
        }
        if (published > 0 || changed)
        {
            KiosqueDb.NotifyChangesLogged();
        }
        return published;
    }

    /// <summary>Claimed like a publication (one node, once), but the article goes back to review, unpublished.</summary>
    private async Task<bool> SendBackToReviewAsync(KiosqueDb db, Article article, IReadOnlyList<string> problems, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Articles
            .Where(a => a.Id == article.Id && a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Status, ArticleStatus.Review)
                .SetProperty(a => a.ScheduledAt, (DateTime?)null), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        db.ContentChanges.Add(new ContentChange { At = now, Scope = ChangeScope.Article, EntityId = article.Id });
        Audit.Record(db, clock, null, "article.schedule-refused", $"#{article.Id} {article.Slug}", string.Join(' ', problems));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRefused(logger, article.Id, article.Slug, string.Join(' ', problems));
        return true;
    }

    [LoggerMessage(LogLevel.Information, "Scheduled article {Id} ({Slug}) published.")]
    private static partial void LogPublished(ILogger logger, int id, string slug);

    [LoggerMessage(LogLevel.Warning, "Scheduled article {Id} ({Slug}) not published, sent back to review: {Problems}.")]
    private static partial void LogRefused(ILogger logger, int id, string slug, string problems);

    [LoggerMessage(LogLevel.Warning, "Publishing scheduled articles failed; retrying at the next poll.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
