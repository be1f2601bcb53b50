using System.Linq.Expressions;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.ChangeLog;

/// <summary>
/// Questions about the log that do not follow it row by row: the syndication cache's version (the
/// newest change) and a sitemap's "did anything that concerns me happen since".
/// </summary>
public static class ChangeLogQueries
{
    /// <summary>The newest change's id and time; null for an empty log.</summary>
    public static async Task<(long Id, DateTime At)?> NewestAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        var head = await db.ContentChanges.AsNoTracking().OrderByDescending(c => c.Id).Select(c => new { c.Id, c.At }).FirstOrDefaultAsync(cancellationToken);
        return head is null ? null : (head.Id, head.At);
    }

    /// <summary>True when a change after <paramref name="position"/> matches <paramref name="concerns"/>.</summary>
    public static Task<bool> AnySinceAsync(KiosqueDb db, long position, Expression<Func<ContentChange, bool>> concerns, CancellationToken cancellationToken) =>
        db.ContentChanges.Where(c => c.Id > position).AnyAsync(concerns, cancellationToken);

    /// <summary>The changes after <paramref name="position"/> that match, oldest first, at most <paramref name="limit"/> + 1.</summary>
    public static Task<List<ContentChange>> SinceAsync(KiosqueDb db, long position, Expression<Func<ContentChange, bool>> concerns, int limit, CancellationToken cancellationToken) =>
        db.ContentChanges.AsNoTracking().Where(c => c.Id > position).Where(concerns).OrderBy(c => c.Id).Take(limit + 1).ToListAsync(cancellationToken);

    /// <summary>
    /// The changes among <paramref name="ids"/>, oldest first: the rows that committed late into ids
    /// a cursor of the public changes feed skipped (see <c>Api/ChangeCursor</c>).
    /// </summary>
    public static Task<List<ContentChange>> AmongAsync(KiosqueDb db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        db.ContentChanges.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(cancellationToken);
}
