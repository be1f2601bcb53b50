using Microsoft.Extensions.Options;

namespace Kiosque.Media;

/// <summary>
/// Where media files live: a folder under the data directory. Files are written to a temporary
/// name and moved into place, so a crash never leaves a half-written file behind a real name.
/// </summary>
public sealed class MediaStore(IOptions<KiosqueOptions> options)
{
    public string Root { get; } = options.Value.MediaDirectory;

    public async Task SaveAsync(string relativePath, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public bool Exists(string relativePath) => File.Exists(FullPath(relativePath));

    private string FullPath(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is outside the media folder.", nameof(relativePath));
        }
        return path;
    }
}
