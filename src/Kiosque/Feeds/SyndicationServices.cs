namespace Kiosque.Feeds;

public static class SyndicationServices
{
    /// <summary>Feeds, sitemaps and oEmbed: their settings and the cache that serves them.</summary>
    public static IServiceCollection AddSyndication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SyndicationOptions>().Bind(configuration.GetSection(KiosqueOptions.Section))
            .Validate(o => o.FeedSize is > 0 and <= 100, "Kiosque:FeedSize must be between 1 and 100.")
            .Validate(o => o.SitemapPageSize is > 0 and <= SyndicationOptions.MaxSitemapPageSize, "Kiosque:SitemapPageSize must be between 1 and 50000.")
            .Validate(o => SyndicationOptions.IsValidHub(o.WebSubHub), "Kiosque:WebSubHub must be an absolute http(s) URL.")
            .Validate(o => o.SmallListSize is >= 0 and <= 1_000_000, "Kiosque:SmallListSize must be between 0 and 1000000.")
            .ValidateOnStart();
        services.AddSingleton<SyndicationCache>();
        // Only with a hub: an extra change-log follower otherwise costs a poll every 250 ms for nothing.
        if (!string.IsNullOrWhiteSpace(configuration[$"{KiosqueOptions.Section}:{nameof(SyndicationOptions.WebSubHub)}"]))
        {
            services.AddSingleton<WebSubNotifier>();
            services.AddSingleton<ChangeLog.IContentChangeHandler>(sp => sp.GetRequiredService<WebSubNotifier>());
            services.AddHostedService(sp => sp.GetRequiredService<WebSubNotifier>());
        }
        return services;
    }
}
