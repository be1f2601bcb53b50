using System.Text.Json;

namespace Kiosque.Mirror;

/// <summary>
/// <c>.kiosque-mirror.json</c>, the mirror's memory between runs: the change-log position it was
/// made at, the edition's sequence number, and every file it wrote with the address it came from,
/// the page-cache tags of what it shows, the addresses it links to and its SHA-256. A folder
/// without one is not a Kiosque mirror, and the export never writes into it (or deletes from it)
/// unless it is empty. Only files listed here are ever removed.
/// </summary>
public sealed class MirrorManifest
{
    public const string FileName = ".kiosque-mirror.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public int Version { get; set; } = 1;

    public long Position { get; set; }

    public long Edition { get; set; }

    public DateTime? EditionTime { get; set; }

    public SortedDictionary<string, MirrorFile> Files { get; set; } = new(StringComparer.Ordinal);

    public static MirrorManifest? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<MirrorManifest>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Written aside and renamed, like every file of the mirror.</summary>
    public void Write(string directory, string staging)
    {
        var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, Path.Combine(directory, FileName), overwrite: true);
    }
}

/// <param name="Url">The site address it was rendered from.</param>
/// <param name="Tags">The page cache's tags of what it shows; none for files rendered afresh each run.</param>
/// <param name="Immutable">A fingerprinted file (stylesheet, picture rendition): its name changes with its content.</param>
public sealed record MirrorFile(string Url, string Sha256, string[] Tags, string[] Links, bool Immutable);
