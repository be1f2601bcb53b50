using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Media;

/// <summary>The database-polled worker: each medium rendered once whatever the number of nodes, and taken over after a crash.</summary>
public abstract class RenditionWorkerTests(KiosqueFactory site)
{
    [Fact]
    public async Task Two_nodes_working_at_once_render_each_medium_once()
    {
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await site.IngestAsync(TestImages.Jpeg(700 + i, 400), new MediaUpload($"photo-{i}.jpg", "Crédit", "Légende", "Texte"))).Id);
        }
        var thisNode = site.Services.GetRequiredService<RenditionWorker>();
        // Another node: its own worker over the same database and the same store.
        using var otherNode = ActivatorUtilities.CreateInstance<RenditionWorker>(site.Services);

        var finished = await Task.WhenAll(
            thisNode.RunPendingAsync(ids, null, TestContext.Current.CancellationToken),
            otherNode.RunPendingAsync(ids, null, TestContext.Current.CancellationToken));

        Assert.Equal(3, finished.Sum());
        var media = await site.WithDbAsync(db => db.Media.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync());
        Assert.All(media, m =>
        {
            Assert.False(m.RenditionsPending);
            Assert.NotNull(m.RenditionsPath);
            Assert.NotNull(m.CropsPath);
            Assert.Null(m.RenditionLeaseUntil);
            Assert.Equal(0, m.RenditionAttempts);
            Assert.Equal(RenditionPlan.Version, m.RenditionsVersion);
        });
        // Every write goes through the change log: a row at upload, one for the claim that won
        // (the losing node's claim changed nothing and logged nothing) and one when done.
        var changes = await site.WithDbAsync(db => db.ContentChanges.Where(c => c.Scope == ChangeScope.Media && ids.Contains(c.EntityId)).CountAsync());
        Assert.Equal(9, changes);
        // Nothing left to do.
        Assert.Equal(0, await thisNode.RunPendingAsync(ids, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_medium_held_by_a_node_is_taken_over_once_its_lease_runs_out()
    {
        var medium = await site.IngestAsync(TestImages.Jpeg(640, 360), new MediaUpload("lease.jpg", "Crédit", "Légende", "Texte"));
        // A node claimed it, then died.
        await site.WithDbAsync(db => db.Media.Where(m => m.Id == medium.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.RenditionLeaseUntil, (DateTime?)DateTime.UtcNow.AddMinutes(5)).SetProperty(m => m.RenditionAttempts, 1)));
        Assert.Equal(0, await site.RenderAsync(medium.Id));

        await site.WithDbAsync(db => db.Media.Where(m => m.Id == medium.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.RenditionLeaseUntil, (DateTime?)DateTime.UtcNow.AddSeconds(-1))));
        Assert.Equal(1, await site.RenderAsync(medium.Id));
        Assert.False(await site.WithDbAsync(db => db.Media.Where(m => m.Id == medium.Id).Select(m => m.RenditionsPending).SingleAsync()));
    }

    [Fact]
    public async Task A_medium_whose_original_is_gone_is_given_up_after_three_attempts_and_pages_keep_its_jpeg()
    {
        // No published piece shows it yet: only the newsroom may fetch it.
        using var client = (await site.SignedInAsync(Roles.Editor)).Client;
        // A picture of its own: files are content-addressed, so another test's identical upload would share them.
        var medium = await site.IngestAsync(TestImages.Jpeg(643, 361), new MediaUpload("lost.jpg", "Crédit", "Légende", "Texte"));
        File.Delete(Path.Combine(site.DataDirectory, "originals", medium.OriginalPath!));

        for (var attempt = 1; attempt <= RenditionWorker.MaxAttempts; attempt++)
        {
            Assert.Equal(0, await site.RenderAsync(medium.Id));
            // Retried later, not at once: make "later" now.
            await site.WithDbAsync(db => db.Media.Where(m => m.Id == medium.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.RenditionLeaseUntil, (DateTime?)null)));
        }
        Assert.Equal(0, await site.RenderAsync(medium.Id));
        var stored = await site.WithDbAsync(db => db.Media.AsNoTracking().SingleAsync(m => m.Id == medium.Id));
        Assert.Equal(RenditionWorker.MaxAttempts, stored.RenditionAttempts);
        Assert.NotNull(stored.RenditionError);
        Assert.Null(stored.RenditionsPath);
        using var fallback = await client.GetAsync($"/media/{stored.FileName}");
        Assert.Equal(System.Net.HttpStatusCode.OK, fallback.StatusCode);
    }
}

public sealed class RenditionWorkerSqliteTests(SqliteSite site) : RenditionWorkerTests(site), IClassFixture<SqliteSite>;

public sealed class RenditionWorkerPostgresTests(PostgresSite site) : RenditionWorkerTests(site), IClassFixture<PostgresSite>;

/// <summary>The worker as the server runs it: started with the host, woken by an upload.</summary>
public abstract class BackgroundRenditionTests(KiosqueFactory site)
{
    public static readonly Dictionary<string, string?> BackgroundSettings = new()
    {
        ["Kiosque:Media:BackgroundRenditions"] = "true",
        ["Kiosque:Media:StartDelay"] = "00:00:00",
        ["Kiosque:Media:PollInterval"] = "00:00:01",
    };

    [Fact]
    public async Task An_upload_gets_its_renditions_in_the_background()
    {
        // No published piece shows it yet: only the newsroom may fetch it.
        using var client = (await site.SignedInAsync(Roles.Editor)).Client;
        var medium = await site.IngestAsync(TestImages.Jpeg(800, 450), new MediaUpload("fond.jpg", "Crédit", "Légende", "Texte"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? renditions = null;
        while (renditions is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            renditions = await site.WithDbAsync(db => db.Media.Where(m => m.Id == medium.Id && !m.RenditionsPending).Select(m => m.RenditionsPath).SingleOrDefaultAsync());
        }
        Assert.NotNull(renditions);
        using var avif = await client.GetAsync($"/media/{RenditionPlan.WidthPath(renditions, 800, ImageFormat.Avif)}");
        Assert.Equal("image/avif", avif.Content.Headers.ContentType!.MediaType);
    }
}

public sealed class BackgroundRenditionSqliteTests(BackgroundRenditionSqliteTests.Site site) : BackgroundRenditionTests(site), IClassFixture<BackgroundRenditionSqliteTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?>(BackgroundRenditionTests.BackgroundSettings));
}

public sealed class BackgroundRenditionPostgresTests(BackgroundRenditionPostgresTests.Site site) : BackgroundRenditionTests(site), IClassFixture<BackgroundRenditionPostgresTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Postgres, new Dictionary<string, string?>(BackgroundRenditionTests.BackgroundSettings));
}
