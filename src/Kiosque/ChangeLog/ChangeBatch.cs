namespace Kiosque.ChangeLog;

/// <summary>
/// What a <see cref="ChangeLogReader"/> read: the rows after its position (<see cref="New"/>, in id
/// order) and rows that committed late, below it, into ids it had skipped (<see cref="Late"/>).
/// </summary>
public sealed record ChangeBatch(long From, IReadOnlyList<ContentChange> Late, IReadOnlyList<ContentChange> New, bool Full)
{
    /// <summary>Late rows first, then new ones: what a handler applies.</summary>
    public IReadOnlyList<ContentChange> All => Late.Count == 0 ? New : [.. Late, .. New];

    public bool IsEmpty => Late.Count == 0 && New.Count == 0;

    /// <summary>The reader's position once this batch is applied.</summary>
    public long To => New.Count > 0 ? New[^1].Id : From;
}
