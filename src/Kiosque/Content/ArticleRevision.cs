using System.Text.Json;

namespace Kiosque.Content;

/// <summary>
/// A copy of everything an editor can change, kept at every save so any two versions can be
/// compared and an old one restored. The snapshot is JSON so revisions survive model changes.
/// </summary>
public class ArticleRevision
{
    public long Id { get; set; }
    public int ArticleId { get; set; }

    /// <summary>The article's <see cref="Article.Version"/> this revision produced.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";

    /// <summary>save, autosave, restore…: how the revision came to be.</summary>
    public string Kind { get; set; } = "save";
    public required string Snapshot { get; set; }

    public RevisionSnapshot Read() => JsonSerializer.Deserialize<RevisionSnapshot>(Snapshot, ArticleBody.Json)!;
}

