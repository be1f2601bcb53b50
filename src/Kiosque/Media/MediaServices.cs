namespace Kiosque.Media;

public static class MediaServices
{
    /// <summary>Media storage, ingest, renditions and their background worker (started by the web host only).</summary>
    public static IServiceCollection AddKiosqueMedia(this IServiceCollection services, IConfiguration configuration)
    {
        // At start, so libvips's loaders are restricted before anything could reach them.
        Vips.EnsureInitialised();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section))
            .Validate(o => o.MaxBytes > 0, "Kiosque:Media:MaxBytes must be positive.")
            .Validate(o => o.MaxPixels > 0, "Kiosque:Media:MaxPixels must be positive.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Kiosque:Media:PollInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IMediaStore, LocalMediaStore>();
        services.AddSingleton<RenditionMaker>();
        services.AddScoped<MediaIngest>();
        services.AddSingleton<RenditionWorker>();
        services.AddSingleton<PublicPictures>();
        services.AddSingleton<ChangeLog.IContentChangeHandler>(sp => sp.GetRequiredService<PublicPictures>());
        return services;
    }
}
