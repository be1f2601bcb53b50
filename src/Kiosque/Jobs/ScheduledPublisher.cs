using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Newsroom;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Jobs;

/// <summary>
/// Publishes scheduled articles whose time has come. The schedule is the articles table itself
/// (Status = Scheduled, ScheduledAt), so nothing is lost in a restart and a node that was down
/// catches up on its first poll. Each article is claimed by one conditional UPDATE: when several
/// nodes poll at once, exactly one of them sees its row change and publishes it, once.
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
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now)
            .OrderBy(a => a.ScheduledAt).Select(a => new { a.Id, a.Slug }).Take(100).ToListAsync(cancellationToken);
        var published = 0;
        foreach (var article in due)
        {
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
        if (published > 0)
        {
            KiosqueDb.NotifyChangesLogged();
        }
        return published;
    }

    [LoggerMessage(LogLevel.Information, "Scheduled article {Id} ({Slug}) published.")]
    private static partial void LogPublished(ILogger logger, int id, string slug);

    [LoggerMessage(LogLevel.Warning, "Publishing scheduled articles failed; retrying at the next poll.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
