using System.Net;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Jobs;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Newsroom;

/// <summary>
/// The workflow's claim under real contention: the scheduler against an editor saving the same
/// article, and two application instances (two nodes, each with its own scheduler) on one
/// database. Each article goes live once, with one logged publication, and nobody gets a 500.
/// </summary>
public abstract class SchedulerRaceTests(ClockSite site)
{
    private readonly TestContent _content = new();

    private DateTime Now => site.Clock.GetUtcNow().UtcDateTime;

    /// <summary>Articles scheduled a minute ago (so due now) with one author, ready to go live.</summary>
    private async Task<List<Article>> DueAsync(int count, string headline)
    {
        var section = _content.Section();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section));
        var due = new List<Article>();
        for (var i = 0; i < count; i++)
        {
            var article = _content.Article(section, $"{headline} {i}", status: ArticleStatus.Scheduled);
            article.PublishedAt = null;
            article.ScheduledAt = Now.AddMinutes(-1);
            due.Add(article);
        }
        await site.WithDbAsync(db => TestContent.SaveAsync(db, [.. due]));
        return due;
    }

    /// <summary>Per article: how many logged changes took it from unlisted to listed (publications).</summary>
    private Task<Dictionary<int, int>> PublicationsAsync(IEnumerable<int> ids)
    {
        var list = ids.ToList();
        return site.WithDbAsync(async db => (await db.ContentChanges.AsNoTracking()
                .Where(c => c.Scope == ChangeScope.Article && list.Contains(c.EntityId)).ToListAsync())
            .GroupBy(c => c.EntityId).ToDictionary(g => g.Key, g => g.Count(c => string.IsNullOrEmpty(c.Before) && !string.IsNullOrEmpty(c.After))));
    }

    [Fact]
    public async Task The_scheduler_publishing_while_an_editor_saves_publishes_once_and_keeps_the_save()
    {
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var due = await DueAsync(8, "Programmé pendant une relecture");
            var forms = new List<EditorForm>();
            foreach (var article in due)
            {
                forms.Add((await EditorForm.LoadAsync(editor, article.Id)).Set("standfirst", $"Relu pendant la mise en ligne de #{article.Id}."));
            }

            // Every save starts together with the scheduler's poll.
            var saves = forms.Select(async form =>
            {
                using var response = await form.PostAsync(editor, script: true, kind: "autosave");
                return response.StatusCode;
            }).ToList();
            var published = await site.PublishDueAsync();
            var statuses = await Task.WhenAll(saves);

            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
            // A save that landed between the scheduler's read and its write wins that round: the
            // article went live at the next poll, still once.
            published += await site.PublishDueAsync();
            Assert.Equal(due.Count, published);
            var rows = await site.WithDbAsync(db => db.Articles.AsNoTracking().Where(a => due.Select(d => d.Id).Contains(a.Id)).ToListAsync());
            Assert.All(rows, row =>
            {
                Assert.Equal(ArticleStatus.Published, row.Status);
                Assert.Equal($"Relu pendant la mise en ligne de #{row.Id}.", row.Standfirst);
            });
            Assert.All(await PublicationsAsync(due.Select(a => a.Id)), entry => Assert.Equal(1, entry.Value));
        }
    }

    [Fact]
    public async Task Two_instances_racing_for_the_same_articles_publish_each_once()
    {
        site.SkipIfUnavailable();
        // Both started first: a node's scheduler polls once as it starts, then every hour here.
        await using var other = new SecondNode(site, site.Clock);
        var first = site.Services.GetRequiredService<ScheduledPublisher>();
        var second = other.Services.GetRequiredService<ScheduledPublisher>();
        var due = await DueAsync(12, "Programmé pour deux nœuds");

        var counts = await Task.WhenAll(first.PublishDueAsync(), second.PublishDueAsync(), first.PublishDueAsync(), second.PublishDueAsync());

        Assert.Equal(due.Count, counts.Sum());
        Assert.All(await PublicationsAsync(due.Select(a => a.Id)), entry => Assert.Equal(1, entry.Value));
        var ids = due.Select(a => $"#{a.Id} ").ToList();
        var audits = await site.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(e => e.Action == "article.published").Select(e => e.Target).ToListAsync());
        Assert.All(ids, id => Assert.Single(audits, target => target.StartsWith(id, StringComparison.Ordinal)));
        // Both nodes serve each article.
        using var reader = other.Reader();
        foreach (var article in due)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/article/{article.Slug}")).StatusCode);
        }
    }
}

public sealed class SchedulerRaceSqliteTests(SchedulerRaceSqliteTests.Site site) : SchedulerRaceTests(site), IClassFixture<SchedulerRaceSqliteTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Sqlite);
}

public sealed class SchedulerRacePostgresTests(SchedulerRacePostgresTests.Site site) : SchedulerRaceTests(site), IClassFixture<SchedulerRacePostgresTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Postgres);
}
