using Kiosque.Content;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Jobs;

/// <summary>
/// Publishes scheduled articles whose time has come. The schedule is the articles table itself
/// (Status = Scheduled, ScheduledAt), so nothing is lost in a restart and a node that was down
/// catches up on its first poll. Each article is taken through <see cref="ArticleWorkflow"/>,
/// whose claim lets exactly one node publish it, once, with its change logged like any other
/// publication (the lists it joins are refreshed on every node).
/// </summary>
public sealed partial class ScheduledPublisher(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ScheduledPublisher> logger) : BackgroundService
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
        List<int> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<ArticleWorkflow>().Due().Select(a => a.Id).Take(100).ToListAsync(cancellationToken);
        }
        var published = 0;
        foreach (var id in due)
        {
            // One unit of work per article: a failure or a lost race leaves the others untouched.
            await using var scope = scopes.CreateAsyncScope();
            var workflow = scope.ServiceProvider.GetRequiredService<ArticleWorkflow>();
            var article = await workflow.Due().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (article is null)
            {
                // Another node got there first, or an editor changed the schedule meanwhile.
                continue;
            }
            var outcome = await workflow.PublishDueAsync(article, cancellationToken);
            switch (outcome.Result)
            {
                case WorkflowResult.Done:
                    published++;
                    LogPublished(logger, article.Id, article.Slug);
                    break;
                case WorkflowResult.Refused:
                    LogRefused(logger, article.Id, article.Slug, string.Join(' ', outcome.Problems));
                    break;
                default:
                    break;
            }
        }
        return published;
    }

    [LoggerMessage(LogLevel.Information, "Scheduled article {Id} ({Slug}) published.")]
    private static partial void LogPublished(ILogger logger, int id, string slug);

    [LoggerMessage(LogLevel.Warning, "Scheduled article {Id} ({Slug}) not published, sent back to review: {Problems}.")]
    private static partial void LogRefused(ILogger logger, int id, string slug, string problems);

    [LoggerMessage(LogLevel.Warning, "Publishing scheduled articles failed; retrying at the next poll.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
