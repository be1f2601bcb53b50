using Microsoft.Extensions.Options;

namespace Kiosque.Media;

/// <summary>
/// Folders under the data directory: <c>media/</c> (public, served as static files) and
/// <c>originals/</c> (private, outside anything the web server maps).
/// </summary>
public sealed class LocalMediaStore(IOptions<KiosqueOptions> options) : IMediaStore
{
    public string PublicRoot { get; } = options.Value.MediaDirectory;

    public string OriginalsRoot { get; } = Path.Combine(options.Value.FullDataDirectory, "originals");

    public async Task SaveAsync(MediaArea area, string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var full = FullPath(area, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(bytes, cancellationToken);
                // On disk before the rename, so a power cut cannot leave an empty file under the real name.
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public Task<byte[]> ReadAsync(MediaArea area, string path, CancellationToken cancellationToken = default) =>
        File.ReadAllBytesAsync(FullPath(area, path), cancellationToken);

    public Task<bool> ExistsAsync(MediaArea area, string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(FullPath(area, path)));

    public Task DeleteAsync(MediaArea area, string path, CancellationToken cancellationToken = default)
    {
        File.Delete(FullPath(area, path));
        return Task.CompletedTask;
    }

    public Task<bool> EnsureLocalAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(FullPath(MediaArea.Public, path)));

    internal string FullPath(MediaArea area, string relativePath)
    {
        var root = area == MediaArea.Public ? PublicRoot : OriginalsRoot;
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is outside the media folder.", nameof(relativePath));
        }
        return path;
    }
}
