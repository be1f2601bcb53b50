using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Jobs;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.ChangeLog;

/// <summary>Every content change lands in the ordered log with the change itself, and each node's feed hands it on.</summary>
public abstract class ChangeLogTests(KiosqueFactory site)
{
    [Fact]
    public async Task Saving_content_logs_each_change_in_the_same_transaction()
    {
        var content = new TestContent();
        var article = content.Article(content.Section(), "Un article journalisé");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        var logged = await site.WithDbAsync(db => db.ContentChanges.Where(c => c.Scope == ChangeScope.Article && c.EntityId == article.Id).CountAsync());
        Assert.Equal(1, logged);

        await site.WithDbAsync(async db =>
        {
            db.Corrections.Add(new Correction { ArticleId = article.Id, At = DateTime.UtcNow, Text = "Rectificatif." });
            await db.SaveChangesAsync();
        });
        Assert.Equal(2, await site.WithDbAsync(db => db.ContentChanges.Where(c => c.Scope == ChangeScope.Article && c.EntityId == article.Id).CountAsync()));

        // A save that fails (duplicate slug) leaves neither the article nor a log row.
        var before = await site.WithDbAsync(db => db.ContentChanges.CountAsync());
        var twin = content.Article(content.Section(), "Doublon");
        twin.Slug = article.Slug;
        await Assert.ThrowsAsync<DbUpdateException>(() => site.WithDbAsync(db => TestContent.SaveAsync(db, twin)));
        Assert.Equal(before, await site.WithDbAsync(db => db.ContentChanges.CountAsync()));
    }

    [Fact]
    public async Task The_change_feed_hands_new_changes_to_the_handlers_of_this_node()
    {
        var recorder = site.Services.GetRequiredService<RecordingHandler>();
        var content = new TestContent();
        var article = content.Article(content.Section(), "Un article suivi");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var seen = await recorder.WaitForAsync(c => c.Scope == ChangeScope.Article && c.EntityId == article.Id, TimeSpan.FromSeconds(10));
        Assert.False(seen.Deleted);
    }
}

/// <summary>Collects what the feed hands over, for the tests to wait on.</summary>
public sealed class RecordingHandler : IContentChangeHandler
{
    private readonly List<ContentChange> _changes = [];

    public Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        lock (_changes)
        {
            _changes.AddRange(changes);
        }
        return Task.CompletedTask;
    }

    public async Task<ContentChange> WaitForAsync(Func<ContentChange, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_changes)
            {
                var found = _changes.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The change never reached the handler.");
    }
}

public sealed class SqliteChangeLogTests(SqliteChangeLogTests.Site site) : ChangeLogTests(site), IClassFixture<SqliteChangeLogTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<RecordingHandler>().AddSingleton<IContentChangeHandler>(sp => sp.GetRequiredService<RecordingHandler>()));
        }
    }
}

public sealed class PostgresChangeLogTests(PostgresChangeLogTests.Site site) : ChangeLogTests(site), IClassFixture<PostgresChangeLogTests.Site>
{
    /// <summary>
    /// PostgreSQL hands out a log id at insert, not at commit: a slow transaction's change can
    /// appear after a later one was already handed on. It must still reach the handlers (SQLite
    /// runs one writer at a time, so the case cannot arise there).
    /// </summary>
    [Fact]
    public async Task A_change_committed_after_a_later_one_still_reaches_the_handlers()
    {
        var recorder = site.Services.GetRequiredService<RecordingHandler>();
        var content = new TestContent();
        var slow = content.Article(content.Section(), "Une transaction lente");
        var quick = content.Article(content.Section(), "Une transaction rapide");

        await using var scope = site.Services.CreateAsyncScope();
        var slowDb = scope.ServiceProvider.GetRequiredService<Kiosque.Data.KiosqueDb>();
        await using var transaction = await slowDb.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await TestContent.SaveAsync(slowDb, slow);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, quick));
        await recorder.WaitForAsync(c => c.Scope == ChangeScope.Article && c.EntityId == quick.Id, TimeSpan.FromSeconds(10));

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        await recorder.WaitForAsync(c => c.Scope == ChangeScope.Article && c.EntityId == slow.Id, TimeSpan.FromSeconds(10));
    }

    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<RecordingHandler>().AddSingleton<IContentChangeHandler>(sp => sp.GetRequiredService<RecordingHandler>()));
        }
    }
}
