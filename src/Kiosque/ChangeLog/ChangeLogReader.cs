using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.ChangeLog;

/// <summary>
/// One consumer's place in the change log: its position, and the ids it skipped because their
/// transactions had not committed yet (see <see cref="ChangeLogHoles"/>). Every consumer reads the
/// log through one of these (the node's <see cref="ChangeFeed"/> for the page cache, feeds and
/// WebSub; the search indexer with the position stored in its index), so the gap handling exists
/// once. Read, apply, then <see cref="Advance"/>: a batch that failed to apply is read again.
/// </summary>
public sealed class ChangeLogReader(int batchSize = 500)
{
    private readonly ChangeLogHoles _holes = new();
    private long _position = -1;

    /// <summary>The last change read and applied; -1 before <see cref="StartAt"/>.</summary>
    public long Position => Interlocked.Read(ref _position);

    public bool IsStarted => Position >= 0;

    /// <summary>True once change <paramref name="id"/> has been applied (not skipped as a hole still open).</summary>
    public bool HasSeen(long id) => Position >= id && !_holes.IsOpen(id);

    /// <summary>Places the reader (at start, or when its consumer's own state moved, such as a new index).</summary>
    public void StartAt(long position)
    {
        _holes.Clear();
        Interlocked.Exchange(ref _position, position);
    }

    /// <summary>The id of the newest change, 0 for an empty log: where a consumer with nothing to catch up starts.</summary>
    public static async Task<long> HeadAsync(KiosqueDb db, CancellationToken cancellationToken) =>
        await db.ContentChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;

    /// <summary>The next batch after the position, with the rows that have since filled its holes.</summary>
    public async Task<ChangeBatch> ReadAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        if (!IsStarted)
        {
            throw new InvalidOperationException("The reader has no position yet: call StartAt first.");
        }
        var position = Position;
        var changes = await db.ContentChanges.AsNoTracking().Where(c => c.Id > position).OrderBy(c => c.Id).Take(batchSize).ToListAsync(cancellationToken);
        // Read after the batch: a hole this batch reveals is checked on the next read.
        var late = await _holes.ReadFilledAsync(db, cancellationToken);
        return new ChangeBatch(position, late, changes, changes.Count == batchSize);
    }

    /// <summary>Moves past an applied batch, remembering the ids it skipped.</summary>
    public void Advance(ChangeBatch batch)
    {
        _holes.Forget(batch.Late);
        _holes.Remember(batch.From, batch.New);
        Interlocked.Exchange(ref _position, batch.To);
    }
}
