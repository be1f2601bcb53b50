using Kiosque.Content;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Data;

public abstract class StorageTests(KiosqueFactory site, string provider)
{
    [Fact]
    public async Task The_configured_provider_is_migrated_to_the_latest_model()
    {
        using var client = site.Reader();
        var (name, pending) = await site.WithDbAsync<(string?, int)>(async db => (db.Database.ProviderName, (await db.Database.GetPendingMigrationsAsync()).Count()));

        Assert.Equal(provider, name);
        Assert.Equal(0, pending);
    }

    [Fact]
    public async Task Times_come_back_as_the_same_UTC_instant_and_slugs_stay_unique()
    {
        var content = new TestContent();
        var at = new DateTime(2026, 3, 29, 0, 59, 59, 123, DateTimeKind.Utc);
        var article = content.Article(content.Section(), "Heure d'été", at);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));

        var stored = await site.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == article.Id));
        Assert.Equal(DateTimeKind.Utc, stored.PublishedAt!.Value.Kind);
        Assert.Equal(at, stored.PublishedAt.Value);

        var twin = content.Article(content.Section(), "Jumeau");
        twin.Slug = article.Slug;
        await Assert.ThrowsAsync<DbUpdateException>(() => site.WithDbAsync(db => TestContent.SaveAsync(db, twin)));
    }
}

public sealed class SqliteStorageTests(SqliteSite site) : StorageTests(site, "Microsoft.EntityFrameworkCore.Sqlite"), IClassFixture<SqliteSite>;

public sealed class PostgresStorageTests(PostgresSite site) : StorageTests(site, "Npgsql.EntityFrameworkCore.PostgreSQL"), IClassFixture<PostgresSite>;
