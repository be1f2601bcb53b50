using System.Globalization;
using Kiosque.Data;
using Kiosque.Media;
using Kiosque.Newsroom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Content;

/// <summary>
/// The article workflow, in one place: which status may follow which, who may take each step, the
/// publish checks, and the claim that makes a step happen once. The newsroom's status form and the
/// scheduler both call it (and, later, the admin API), so they cannot drift apart.
/// <para>
/// The claim: <see cref="Article.Status"/> is a concurrency token beside <see cref="Article.Version"/>,
/// so the UPDATE of a step holds only if the article is still in the status and version the
/// step was decided on. Two schedulers (two nodes) racing for one article, or an editor
/// unpublishing while the scheduler publishes: one wins, the other gets
/// <see cref="WorkflowResult.ChangedMeanwhile"/> and changes nothing, and exactly one change is
/// logged. Every step is saved through the model, so the change log records what the article
/// was listed in before and after (<see cref="ChangeLog.ChangeRecorder"/>).
/// </para>
/// </summary>
public sealed class ArticleWorkflow(KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text)
{
    /// <summary>Contributors write drafts; once an article is scheduled or public, only editors touch it.</summary>
    public static bool CanEdit(Staff staff, Article article) =>
        staff.IsEditor || article.Status is ArticleStatus.Draft or ArticleStatus.Review;

    /// <summary>Whether <paramref name="staff"/> may take <paramref name="action"/> on the article as it stands.</summary>
    public static bool MayTake(Staff staff, WorkflowAction action, Article article) =>
        staff.IsEditor || action switch
        {
            // Once taken off the site, a piece is back in editors' hands: sending it back to
            // review or draft would let a contributor edit (and re-address) what readers saw.
            WorkflowAction.Submit => article.Status != ArticleStatus.Unpublished,
            WorkflowAction.Draft => article.Status is not (ArticleStatus.Unpublished or ArticleStatus.Scheduled),
            _ => false,
        };

    /// <summary>
    /// Takes a newsroom step on a tracked article and saves it with its audit entry.
    /// <paramref name="scheduledAt"/> is the publication time a schedule asks for (UTC).
    /// </summary>
    public async Task<WorkflowOutcome> TakeAsync(Article article, WorkflowAction action, Staff staff, DateTime? scheduledAt, CancellationToken cancellationToken)
    {
        if (action == WorkflowAction.PublishDue)
        {
            throw new ArgumentException("The scheduler's step is PublishDueAsync.", nameof(action));
        }
        if (!MayTake(staff, action, article))
        {
            return WorkflowOutcome.Forbidden;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (action is WorkflowAction.Publish or WorkflowAction.Schedule && article.Status != ArticleStatus.Published)
        {
            // Every picture a reader will see needs its credit, caption and alt text first.
            var missing = await MediaRules.MissingCaptionsAsync(db, article, text, cancellationToken);
            if (missing.Count > 0)
            {
                return WorkflowOutcome.Refused(missing);
            }
        }
        string? problem = null;
        switch (action)
        {
            case WorkflowAction.Submit when article.Status is ArticleStatus.Draft or ArticleStatus.Unpublished:
                article.Status = ArticleStatus.Review;
                break;
            case WorkflowAction.Draft when article.Status is ArticleStatus.Review or ArticleStatus.Scheduled or ArticleStatus.Unpublished:
                article.Status = ArticleStatus.Draft;
                article.ScheduledAt = null;
                break;
            case WorkflowAction.Publish when article.Status != ArticleStatus.Published:
                problem = PublishChecks.Fields(article);
                if (problem is null)
                {
                    GoLive(article, now);
                }
                break;
            case WorkflowAction.Schedule when article.Status != ArticleStatus.Published:
                problem = PublishChecks.Fields(article) ?? (scheduledAt is DateTime at && at > now ? null : "schedule.in-past");
                if (problem is null)
                {
                    article.Status = ArticleStatus.Scheduled;
                    article.ScheduledAt = scheduledAt;
                }
                break;
            case WorkflowAction.Unpublish when article.Status == ArticleStatus.Published:
                article.Status = ArticleStatus.Unpublished;
                break;
            default:
                problem = "status.not-allowed";
                break;
        }
        if (problem is not null)
        {
            return WorkflowOutcome.Refused(problem);
        }
        var details = article.ScheduledAt is DateTime s ? s.ToString("O", CultureInfo.InvariantCulture) : "";
        Audit.Record(db, clock, staff, "article." + action.ToString().ToLowerInvariant(), $"#{article.Id} {article.Slug}", details);
        return await ClaimAsync(cancellationToken);
    }

    /// <summary>
    /// The scheduler's step for one article whose time has come: it goes live, or, when the
    /// publish checks fail now (a picture lost its credit since), back to review with an audit
    /// entry saying why, rather than going live or being retried at every poll.
    /// </summary>
    public async Task<WorkflowOutcome> PublishDueAsync(Article article, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (article.Status != ArticleStatus.Scheduled || article.ScheduledAt > now)
        {
            return WorkflowOutcome.Refused("status.not-allowed");
        }
        var problems = await PublishChecks.ProblemsAsync(db, article, text, cancellationToken);
        if (problems.Count > 0)
        {
            article.Status = ArticleStatus.Review;
            article.ScheduledAt = null;
            Audit.Record(db, clock, null, "article.schedule-refused", $"#{article.Id} {article.Slug}", string.Join(' ', problems));
            var sentBack = await ClaimAsync(cancellationToken);
            return sentBack.Result == WorkflowResult.Done ? WorkflowOutcome.Refused(problems) : sentBack;
        }
        GoLive(article, now);
        Audit.Record(db, clock, null, "article.published", $"#{article.Id} {article.Slug}", "scheduled");
        return await ClaimAsync(cancellationToken);
    }

    /// <summary>The articles the scheduler should look at now, oldest time first.</summary>
    public IQueryable<Article> Due()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Articles.Where(a => a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now).OrderBy(a => a.ScheduledAt);
    }

    private static void GoLive(Article article, DateTime now)
    {
        article.Status = ArticleStatus.Published;
        // The first publication's date stays: a piece put back online keeps its place in time.
        article.PublishedAt ??= now;
        article.UpdatedAt = now;
        article.ScheduledAt = null;
    }

    private async Task<WorkflowOutcome> ClaimAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return WorkflowOutcome.Done;
        }
        catch (DbUpdateConcurrencyException)
        {
            // What the checks approved is no longer what would be saved. Nothing changed.
            db.ChangeTracker.Clear();
            return WorkflowOutcome.ChangedMeanwhile;
        }
    }
}
