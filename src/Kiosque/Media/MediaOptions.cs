namespace Kiosque.Media;

/// <summary>The <c>Kiosque:Media</c> settings.</summary>
public sealed class MediaOptions
{
    public const string Section = "Kiosque:Media";

    /// <summary>
    /// Where originals and renditions live: <c>local</c> (the data directory, the default) or
    /// <c>s3</c> (an S3-compatible bucket, <see cref="S3"/>, for several nodes).
    /// </summary>
    public string Store { get; set; } = "local";

    public S3MediaOptions S3 { get; set; } = new();

    public bool UsesS3 => string.Equals(Store, "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>Largest upload accepted, in bytes (30 MB by default).</summary>
    public long MaxBytes { get; set; } = 30L * 1024 * 1024;

    /// <summary>
    /// Largest picture accepted, in pixels (60 megapixels by default), read from the file's header
    /// before anything is decoded: a few kilobytes can claim a picture that would fill the memory.
    /// </summary>
    public long MaxPixels { get; set; } = 60_000_000;

    /// <summary>
    /// Make renditions in this process's background worker. Turn off on nodes that should only
    /// serve pages (another node, or <c>kiosque media render</c>, does the work).
    /// </summary>
    public bool BackgroundRenditions { get; set; } = true;

    /// <summary>How often the worker looks for work another node asked for (a local upload wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Once the server has started, it answers its first requests for this long before the worker starts encoding.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromSeconds(5);
}
