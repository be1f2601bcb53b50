namespace Kiosque.Media;

/// <summary>Which side of the store a file lives on.</summary>
public enum MediaArea
{
    /// <summary>Renditions readers may fetch: stripped of every metadata, served under <c>/media</c>.</summary>
    Public,

    /// <summary>Uploaded originals, with their metadata: never served.</summary>
    Original,
}

/// <summary>
/// Where media files live: <see cref="LocalMediaStore"/> (the default) or <see cref="S3MediaStore"/>
/// for several nodes. Paths are relative, with forward slashes, and every write is
/// all-or-nothing: a reader (or a crash) never sees half a file under its real name. A store that
/// cannot be reached throws <see cref="MediaStoreException"/>.
/// </summary>
public interface IMediaStore
{
    Task SaveAsync(MediaArea area, string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    Task<byte[]> ReadAsync(MediaArea area, string path, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(MediaArea area, string path, CancellationToken cancellationToken = default);

    Task DeleteAsync(MediaArea area, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a public file servable from this node's media folder, where <c>/media</c> is served
    /// from: true when it is there (fetched first when the store is shared), false when no such file exists.
    /// </summary>
    Task<bool> EnsureLocalAsync(string path, CancellationToken cancellationToken = default);
}
