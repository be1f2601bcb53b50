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
            .Validate(o => o.UsesS3 || string.Equals(o.Store, "local", StringComparison.OrdinalIgnoreCase), "Kiosque:Media:Store must be 'local' or 's3'.")
            .Validate(o => !o.UsesS3 || (Uri.TryCreate(o.S3.ServiceUrl, UriKind.Absolute, out _) && o.S3.Bucket.Length > 0),
                "Kiosque:Media:Store is 's3': set Kiosque:Media:S3:ServiceUrl (an absolute URL) and Kiosque:Media:S3:Bucket.")
            .ValidateOnStart();
        if (configuration.GetSection(MediaOptions.Section).Get<MediaOptions>()?.UsesS3 == true)
        {
            services.AddSingleton<IMediaStore, S3MediaStore>();
        }
        else
        {
            services.AddSingleton<IMediaStore, LocalMediaStore>();
        }
        services.AddSingleton<RenditionMaker>();
        services.AddScoped<MediaIngest>();
        services.AddSingleton<RenditionWorker>();
        services.AddSingleton<PublicPictures>();
        services.AddSingleton<ChangeLog.IContentChangeHandler>(sp => sp.GetRequiredService<PublicPictures>());
        return services;
    }
}
