using Kiosque.ChangeLog;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Data;

public static class DataServices
{
    /// <summary>
    /// Registers <see cref="KiosqueDb"/> for the configured provider: <c>Database:Provider</c> is
    /// <c>Sqlite</c> (default, a file under the data directory) or <c>Postgres</c>, with
    /// <c>ConnectionStrings:Kiosque</c>.
    /// </summary>
    public static IServiceCollection AddKiosqueDb(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = configuration.GetConnectionString("Kiosque");
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Kiosque is empty.");
            }
            services.AddDbContextPool<PostgresKiosqueDb>(o => o.UseNpgsql(connectionString).AddInterceptors(ChangeCommits.Instance));
            services.AddScoped<KiosqueDb>(sp => sp.GetRequiredService<PostgresKiosqueDb>());
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var options = configuration.GetSection(KiosqueOptions.Section).Get<KiosqueOptions>() ?? new KiosqueOptions();
                Directory.CreateDirectory(options.FullDataDirectory);
                connectionString = $"Data Source={Path.Combine(options.FullDataDirectory, "kiosque.db")}";
            }
            var cacheKib = configuration.GetValue("Database:SqliteCacheKib", SqliteConnectionSettings.DefaultCacheKib);
            services.AddDbContextPool<SqliteKiosqueDb>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSettings(cacheKib), ChangeCommits.Instance));
            services.AddScoped<KiosqueDb>(sp => sp.GetRequiredService<SqliteKiosqueDb>());
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}': use Sqlite or Postgres.");
        }
        return services;
    }

    /// <summary>Applies pending migrations; run at start and by <c>kiosque migrate</c>.</summary>
    public static async Task MigrateAsync(this KiosqueDb db, CancellationToken cancellationToken = default)
    {
        var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        // A table derived from every body: the migration makes it, only C# can read the bodies.
        if (pending.Any(m => m.EndsWith("_" + nameof(KiosqueDb.ArticlePictures), StringComparison.Ordinal)))
        {
            await Content.ArticlePictures.BackfillAsync(db, cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            // Settings of the file, not content: nothing here is a write the change log should carry.
#pragma warning disable RS0030
            // WAL lets readers go on while a publish writes; it is a property of the file, so set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            // Without statistics SQLite takes "Status = 'Published'" for a selective index and scans
            // every published article to find the dozen a search or a related list asked for by id
            // (a tenth of a second at 100,000 articles). A sampled ANALYZE of the tables that have
            // none, or have grown a lot since, keeps its plans sane; it costs nothing when up to date.
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;", cancellationToken);
#pragma warning restore RS0030
        }
    }
}
