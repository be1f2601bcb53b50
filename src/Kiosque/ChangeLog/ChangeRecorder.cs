using System.Linq.Expressions;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Kiosque.ChangeLog;

/// <summary>
/// The one door for writes to public content. Every save of <see cref="KiosqueDb"/> comes through
/// <see cref="SaveAsync"/>, which appends one ordered <see cref="ContentChange"/> per entity the
/// save touched, with the lists an article belonged to before and after (see
/// <see cref="ArticleMemberships"/>), in the same transaction as the write. The few set-based
/// updates the jobs need go through <see cref="UpdateAsync"/>, which logs the same way. The build
/// refuses every other way to write change rows or to update rows behind the model's back
/// (<c>BannedSymbols.txt</c>, lifted for this folder only in <c>.editorconfig</c>), so a new
/// writer cannot forget the log: the stale home page a scheduler once left behind cannot recur.
/// </summary>
public static class ChangeRecorder
{
    /// <summary>Saves the tracked entities and logs what changed, in one transaction (the caller's, if it opened one).</summary>
    public static async Task<int> SaveAsync(KiosqueDb db, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var pending = PendingChanges(db);
        if (pending.Count == 0)
        {
            return await db.SaveEntitiesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // The lists each changed article was in, read inside the transaction before the write,
            // so caches on every node can refresh the lists it leaves.
            var existing = pending.Where(p => p.Scope == ChangeScope.Article).Select(p => p.Id()).Where(id => id > 0).ToHashSet();
            var before = await ArticleMemberships.ReadAsync(db, existing, cancellationToken);
            var saved = await db.SaveEntitiesAsync(acceptAllChangesOnSuccess, cancellationToken);
            var changes = pending.Select(p => p.Resolve()).Distinct().ToList();
            var details = pending.Where(p => p.Detail is not null).ToDictionary(p => (p.Scope, p.Id()), p => p.Detail!());
            await LogAsync(db, changes, before, cancellationToken, details);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return saved;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A set-based update (a job's claim or its result) with the change logged for every row it
    /// matched, in the same transaction. <paramref name="id"/> names the entity's key.
    /// </summary>
    public static async Task<int> UpdateAsync<T>(KiosqueDb db, IQueryable<T> rows, Expression<Func<T, int>> id, Action<UpdateSettersBuilder<T>> set, CancellationToken cancellationToken)
        where T : class
    {
        var scope = ScopeOf(typeof(T));
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var ids = await rows.Select(id).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return 0;
            }
            // Exactly the rows read above: on PostgreSQL another transaction may have changed which
            // rows the original filter matches, and both the filter and the ids must hold.
            var matched = Expression.Lambda<Func<T, bool>>(Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(int)], Expression.Constant(ids), id.Body), id.Parameters);
            var before = scope == ChangeScope.Article ? await ArticleMemberships.ReadAsync(db, ids, cancellationToken) : [];
            var updated = await rows.Where(matched).ExecuteUpdateAsync(set, cancellationToken);
            if (updated > 0)
            {
                await LogAsync(db, ids.Select(i => (scope, i, false)).ToList(), before, cancellationToken);
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return updated;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private static async Task LogAsync(KiosqueDb db, List<(ChangeScope Scope, int Id, bool Deleted)> changes, Dictionary<int, string> before, CancellationToken cancellationToken, Dictionary<(ChangeScope, int), string>? details = null)
    {
        var at = DateTime.UtcNow;
        var after = await ArticleMemberships.ReadAsync(db, changes.Where(c => c.Scope == ChangeScope.Article).Select(c => c.Id).ToHashSet(), cancellationToken);
        var logged = changes.Select(c => new ContentChange
        {
            At = at,
            Scope = c.Scope,
            EntityId = c.Id,
            Deleted = c.Deleted,
            Before = c.Scope == ChangeScope.Article ? before.GetValueOrDefault(c.Id, "") : null,
            After = c.Scope == ChangeScope.Article ? after.GetValueOrDefault(c.Id, "") : details?.GetValueOrDefault((c.Scope, c.Id)),
        }).ToList();
        db.ContentChanges.AddRange(logged);
        await db.SaveEntitiesAsync(true, cancellationToken);
        db.LastChangeId = Math.Max(db.LastChangeId, logged.Max(c => c.Id));
        db.ChangesAwaitingCommit = true;
    }

    private static ChangeScope ScopeOf(Type type) =>
        type == typeof(Article) ? ChangeScope.Article
        : type == typeof(MediaAsset) ? ChangeScope.Media
        : type == typeof(Section) ? ChangeScope.Section
        : type == typeof(Tag) ? ChangeScope.Tag
        : type == typeof(Author) ? ChangeScope.Author
        : type == typeof(Redirect) ? ChangeScope.Redirect
        : throw new ArgumentException($"{type.Name} is not public content: update it through the model.", nameof(type));

    private sealed record PendingChange(ChangeScope Scope, Func<int> Id, bool Deleted, Func<string>? Detail = null)
    {
        public (ChangeScope Scope, int Id, bool Deleted) Resolve() => (Scope, Id(), Deleted);
    }

    private static List<PendingChange> PendingChanges(KiosqueDb db)
    {
        var pending = new List<PendingChange>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            var deleted = entry.State == EntityState.Deleted;
            // Ids are read after the save (new rows get theirs then), except for deleted rows.
            PendingChange? change = entry.Entity switch
            {
                Article a => new(ChangeScope.Article, Capture(a.Id, () => a.Id, deleted), deleted),
                ArticleAuthor a => new(ChangeScope.Article, Capture(a.ArticleId, () => a.ArticleId, deleted), false),
                ArticleTag t => new(ChangeScope.Article, Capture(t.ArticleId, () => t.ArticleId, deleted), false),
                Correction c => new(ChangeScope.Article, Capture(c.ArticleId, () => c.ArticleId, deleted), false),
                Section s => new(ChangeScope.Section, Capture(s.Id, () => s.Id, deleted), deleted),
                Tag t => new(ChangeScope.Tag, Capture(t.Id, () => t.Id, deleted), deleted),
                Author a => new(ChangeScope.Author, Capture(a.Id, () => a.Id, deleted), deleted),
                MediaAsset m => new(ChangeScope.Media, Capture(m.Id, () => m.Id, deleted), deleted),
                Redirect r => new(ChangeScope.Redirect, Capture(r.Id, () => r.Id, deleted), deleted),
                HomeSlot h => new(ChangeScope.Home, () => h.Position, deleted),
                // Described before the save, while the tracker still knows which columns changed.
                LiveEntry e => LiveEntryPending(db, e, deleted),
                _ => null,
            };
            if (change is not null)
            {
                pending.Add(change);
            }
        }
        return pending;
    }

    private static PendingChange LiveEntryPending(KiosqueDb db, LiveEntry entry, bool deleted)
    {
        // The kind is read before the save, while the tracker knows which columns changed; the
        // page's id after it, since a new entry of a new page gets it only then.
        var kind = LiveEntryChange.KindOf(db.Entry(entry));
        return new(ChangeScope.LiveEntry, Capture(entry.Id, () => entry.Id, deleted), deleted,
            () => new LiveEntryChange(kind, entry.ArticleId).ToString());
    }

    private static Func<int> Capture(int now, Func<int> later, bool deleted) => deleted ? () => now : later;
}
