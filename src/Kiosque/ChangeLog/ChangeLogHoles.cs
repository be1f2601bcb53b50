using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.ChangeLog;

/// <summary>
/// Ids a reader of the change log skipped because they were not there yet. PostgreSQL hands out
/// ids when a row is inserted, not when its transaction commits, so a change can appear after a
/// later one has been read; a reader that only asks for "after my position" would miss it for
/// good (a page left stale in cache, an article left out of the index). Rolled-back transactions
/// leave holes too: they are forgotten after <see cref="Lifetime"/>.
/// </summary>
internal sealed class ChangeLogHoles
{
    /// <summary>Far longer than any content transaction; a hole older than this was a rollback.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private const int MaxHoles = 10_000;
    private readonly Dictionary<long, DateTime> _holes = [];
    private readonly Lock _lock = new();

    /// <summary>Notes the ids missing between <paramref name="from"/> and the rows just read (in id order).</summary>
    public void Remember(long from, IReadOnlyList<ContentChange> changes)
    {
        var now = DateTime.UtcNow;
        var previous = from;
        lock (_lock)
        {
            foreach (var change in changes)
            {
                for (var missing = previous + 1; missing < change.Id && _holes.Count < MaxHoles; missing++)
                {
                    _holes[missing] = now;
                }
                previous = change.Id;
            }
        }
    }

    /// <summary>Forgets every hole (the reader starts again from a new position).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _holes.Clear();
        }
    }

    /// <summary>True while <paramref name="id"/> is a hole that may still be filled.</summary>
    public bool IsOpen(long id)
    {
        lock (_lock)
        {
            return _holes.ContainsKey(id);
        }
    }

    /// <summary>The rows that have since filled a hole, in id order; they stay holes until <see cref="Forget"/>.</summary>
    public async Task<List<ContentChange>> ReadFilledAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        List<long> ids;
        lock (_lock)
        {
            if (_holes.Count == 0)
            {
                return [];
            }
            var now = DateTime.UtcNow;
            foreach (var expired in _holes.Where(h => now - h.Value > Lifetime).Select(h => h.Key).ToList())
            {
                _holes.Remove(expired);
            }
            ids = [.. _holes.Keys];
        }
        if (ids.Count == 0)
        {
            return [];
        }
        return await db.ContentChanges.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>These rows have been applied: their ids are no longer holes.</summary>
    public void Forget(IEnumerable<ContentChange> filled)
    {
        lock (_lock)
        {
            foreach (var change in filled)
            {
                _holes.Remove(change.Id);
            }
        }
    }
}
