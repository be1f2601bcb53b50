namespace Kiosque.ChangeLog;

/// <summary>
/// One row of the ordered change log, written by <see cref="ChangeRecorder"/> in the same
/// transaction as the change itself, and by nothing else (the build refuses any other writer:
/// see <c>BannedSymbols.txt</c>). Search indexing, cache purges and feeds follow this log through
/// <see cref="ChangeLogReader"/>, so every node catches up after a restart or a crash and nothing
/// is missed or half-applied.
/// </summary>
public class ContentChange
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public ChangeScope Scope { get; set; }

    /// <summary>The id of the article, section, tag, author, medium, redirect or live entry that changed.</summary>
    public int EntityId { get; set; }

    /// <summary>True when the entity itself was deleted.</summary>
    public bool Deleted { get; set; }

    /// <summary>
    /// For an article: the lists it was visible in just before the change (see
    /// <see cref="ArticleMemberships"/>), empty when it was not public. Null for other scopes.
    /// Recorded so every node can refresh the lists an article left, not only those it is in now.
    /// </summary>
    public string? Before { get; set; }

    /// <summary>
    /// For an article: the lists it is visible in just after the change, in the same form. For a
    /// live entry: what happened and on which page (<see cref="LiveEntryChange"/>).
    /// </summary>
    public string? After { get; set; }
}
