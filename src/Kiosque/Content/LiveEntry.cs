namespace Kiosque.Content;

/// <summary>
/// One entry of a live page (an <see cref="Article"/> whose <see cref="Article.Coverage"/> is not
/// <see cref="Coverage.None"/>). Its body is the same block JSON as articles, sanitised the same
/// way. An entry is never removed from the table: a deletion is public (« entrée supprimée à… »,
/// with a note), so readers and reconnecting browsers see it instead of a silent disappearance.
/// Every write goes through the change log (<see cref="ChangeLog.ChangeScope.LiveEntry"/>), which
/// is what the live stream (<c>/direct/{slug}/events</c>) replays after a reconnection.
/// </summary>
public class LiveEntry
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public DateTime PostedAt { get; set; }
    public DateTime? EditedAt { get; set; }

    /// <summary>The newsroom account that posted it.</summary>
    public string? PostedById { get; set; }

    /// <summary>The public byline of the entry: the author's page when the account has one, else its display name.</summary>
    public int? AuthorId { get; set; }
    public Author? Author { get; set; }
    public string AuthorName { get; set; } = "";

    /// <summary>A short title (optional): what the key-events list shows.</summary>
    public string Title { get; set; } = "";

    public string Body { get; set; } = ArticleBody.Empty;

    /// <summary>Shown above the entries; a live page has at most one.</summary>
    public bool Pinned { get; set; }

    /// <summary>Listed among the key events at the top of the page.</summary>
    public bool KeyEvent { get; set; }

    /// <summary>Set when the entry was corrected after posting: shown with the entry.</summary>
    public string? CorrectionNote { get; set; }

    public DateTime? DeletedAt { get; set; }

    /// <summary>Why it was deleted, shown in its place.</summary>
    public string? DeletionNote { get; set; }
}
