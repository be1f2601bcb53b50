using Kiosque.ChangeLog;
using Kiosque.Data;
using Kiosque.Demo;
using Kiosque.Jobs;
using Kiosque.Media;
using Kiosque.Newsroom;
using Kiosque.Search;
using Kiosque.Site;

namespace Kiosque;

public static class KiosqueServices
{
    /// <summary>What both the web server and the admin verbs need: configuration, storage, clock, rendering.</summary>
    public static IServiceCollection AddKiosqueCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KiosqueOptions>().Bind(configuration.GetSection(KiosqueOptions.Section))
            .Validate(o => o.PageSize is > 0 and <= 100, "Kiosque:PageSize must be between 1 and 100.")
            .Validate(o => o.Culture is "fr" or "en", "Kiosque:Culture must be fr or en.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddKiosqueDb(configuration);
        services.AddKiosqueMedia(configuration);
        services.AddSingleton<SiteFormat>();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<BodyRenderer>();
        services.AddSingleton<SiteNav>();
        services.AddScoped<DemoNewsroom>();
        services.AddScoped<DemoGenerator>();
        services.AddSingleton<ChangeFeed>();
        services.AddNewsroomAccounts(configuration);
        services.AddKiosqueSearch();
        return services;
    }

    /// <summary>Migrations, then the demo newsroom when asked for and the database is empty.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        await db.MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<Accounts>().EnsureRolesAsync();
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<KiosqueOptions>>().Value;
        if (options.Demo)
        {
            await scope.ServiceProvider.SeedDemoAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The demo newsroom and its passwordless administrator, into an empty database only; false
    /// (and nothing created) when the database has content.
    /// </summary>
    public static async Task<bool> SeedDemoAsync(this IServiceProvider scoped, CancellationToken cancellationToken = default)
    {
        if (!await scoped.GetRequiredService<DemoNewsroom>().SeedIfEmptyAsync(cancellationToken))
        {
            return false;
        }
        await scoped.GetRequiredService<Accounts>().EnsureDemoAdminAsync();
        return true;
    }
}
