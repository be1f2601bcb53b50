using Kiosque.ChangeLog;
using Kiosque.Jobs;
using Microsoft.Extensions.Options;

namespace Kiosque.Caching;

/// <summary>Wiring of the page cache: services, middleware, and the one call an endpoint makes to opt in.</summary>
public static class PageCaching
{
    public static IServiceCollection AddPageCache(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PageCacheSettings(sp.GetRequiredService<IOptions<KiosqueOptions>>().Value));
        services.AddSingleton(sp => new PageStore(sp.GetRequiredService<PageCacheSettings>().BudgetBytes, sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(FrontPurger.ClientName, client => client.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton(sp => new FrontPurger(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<KiosqueOptions>>().Value, sp.GetRequiredService<ILogger<FrontPurger>>()));
        services.AddHostedService(sp => sp.GetRequiredService<FrontPurger>());
        services.AddSingleton<IContentChangeHandler, PageCacheInvalidator>();
        return services;
    }

    /// <summary>Place after routing, so each request's endpoint (and its <see cref="PageCachePolicy"/>) is known.</summary>
    public static IApplicationBuilder UsePageCache(this IApplicationBuilder app) => app.UseMiddleware<PageCacheMiddleware>();

    /// <summary>
    /// Lets the page cache store this endpoint's GET responses (200 and permanent redirects), tagged
    /// with what the handler adds to <see cref="PageTagsExtensions.CacheTags"/>. Only the query keys
    /// named here make different entries; any other parameter (utm_source, fbclid…) shares one.
    /// </summary>
    public static TBuilder CachePage<TBuilder>(this TBuilder builder, params string[] varyByQuery)
        where TBuilder : IEndpointConventionBuilder
    {
        var policy = new PageCachePolicy(varyByQuery.Order(StringComparer.Ordinal).ToArray());
        builder.Add(endpoint => endpoint.Metadata.Add(policy));
        return builder;
    }
}
