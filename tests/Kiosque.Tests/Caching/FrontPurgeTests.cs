using System.Collections.Concurrent;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Caching;

/// <summary>With <c>Kiosque:PurgeUrl</c> set, each change sends the front cache a PURGE with the evicted tags.</summary>
public abstract class FrontPurgeTests(FrontPurgeTests.PurgeSite site)
{
    /// <summary>The site, and a real HTTP server on loopback standing in for the front cache.</summary>
    public class PurgeSite(DatabaseKind kind) : KiosqueFactory(kind), IAsyncLifetime
    {
        private WebApplication? _front;

        public ConcurrentQueue<(string Method, string Keys, string SurrogateKey)> Purges { get; } = new();

        public async ValueTask InitializeAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _front = builder.Build();
            _front.Run(context =>
            {
                Purges.Enqueue((context.Request.Method, context.Request.Headers["xkey-purge"].ToString(), context.Request.Headers["Surrogate-Key"].ToString()));
                return Task.CompletedTask;
            });
            await _front.StartAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Kiosque:PurgeUrl", _front!.Urls.First() + "/");
        }

        public override async ValueTask DisposeAsync()
        {
            if (_front is not null)
            {
                await _front.DisposeAsync();
            }
            await base.DisposeAsync();
            GC.SuppressFinalize(this);
        }
    }

    [Fact]
    public async Task A_correction_purges_the_article_s_tag_at_the_front()
    {
        var content = new TestContent();
        var story = content.Article(content.Section(), "Le tunnel est fermé");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        using var client = site.Reader();
        using var page = await client.GetAsync($"/article/{story.Slug}");
        Assert.Contains($"article:{story.Id}", page.Headers.GetValues("xkey").Single().Split(' '));

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == story.Id);
            stored.Headline = "Le tunnel rouvre";
            await db.SaveChangesAsync();
        });

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!site.Purges.Any(p => p.Keys.Split(' ').Contains($"article:{story.Id}")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var purge = Assert.Single(site.Purges, p => p.Keys.Split(' ').Contains($"article:{story.Id}"));
        Assert.Equal("PURGE", purge.Method);
        Assert.Equal(purge.Keys, purge.SurrogateKey);
        // A correction leaves the lists alone: only the pages showing the article go.
        Assert.DoesNotContain("home", purge.Keys.Split(' '));
    }
}

public sealed class FrontPurgeSqliteTests(FrontPurgeSqliteTests.Site site) : FrontPurgeTests(site), IClassFixture<FrontPurgeSqliteTests.Site>
{
    public sealed class Site() : PurgeSite(DatabaseKind.Sqlite);
}

public sealed class FrontPurgePostgresTests(FrontPurgePostgresTests.Site site) : FrontPurgeTests(site), IClassFixture<FrontPurgePostgresTests.Site>
{
    public sealed class Site() : PurgeSite(DatabaseKind.Postgres);
}
