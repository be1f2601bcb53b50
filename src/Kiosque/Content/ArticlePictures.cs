using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Content;

/// <summary>
/// Keeps <see cref="ArticlePicture"/> rows in step with article bodies. Called by
/// <see cref="KiosqueDb.SaveChangesAsync(bool, CancellationToken)"/> before every save, so no
/// writer of a body (editor, restore, merge, import, API) can forget it.
/// </summary>
public static class ArticlePictures
{
    /// <summary>The pictures a body shows; none for a body that cannot be read (it shows nothing either).</summary>
    public static HashSet<int> InBody(string body)
    {
        try
        {
            return [.. ArticleBody.Parse(body).Blocks.OfType<ImageBlock>().Select(b => b.MediaId)];
        }
        catch (Exception exception) when (exception is InvalidArticleBodyException or System.Text.Json.JsonException)
        {
            return [];
        }
    }

    public static async Task SyncAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        var changed = db.ChangeTracker.Entries<Article>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(a => a.Body).IsModified))
            .Select(e => e.Entity)
            .ToList();
        // A live page's entries show pictures too: they are the page's, like its body's.
        var entries = db.ChangeTracker.Entries<LiveEntry>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && (e.Property(x => x.Body).IsModified || e.Property(x => x.DeletedAt).IsModified)))
            .Select(e => e.Entity)
            .ToList();
        foreach (var article in changed)
        {
            var isNew = article.Id <= 0 || db.Entry(article).State == EntityState.Added;
            var wanted = InBody(article.Body);
            if (!isNew && article.Coverage != Coverage.None)
            {
                wanted.UnionWith(await InEntriesAsync(db, article.Id, cancellationToken));
            }
            var existing = isNew ? [] : await db.ArticlePictures.Where(p => p.ArticleId == article.Id).ToListAsync(cancellationToken);
            foreach (var row in existing.Where(p => !wanted.Contains(p.MediaAssetId)))
            {
                db.ArticlePictures.Remove(row);
            }
            foreach (var id in wanted.Except(existing.Select(p => p.MediaAssetId)))
            {
                // Through the navigation, so a new article's id is filled in when it gets one.
                article.Pictures.Add(new ArticlePicture { MediaAssetId = id });
            }
        }
        foreach (var articleId in entries.Select(e => e.ArticleId).Where(id => id > 0).Distinct().Where(id => !changed.Any(a => a.Id == id)))
        {
            var body = await db.Articles.Where(a => a.Id == articleId).Select(a => a.Body).FirstOrDefaultAsync(cancellationToken);
            var wanted = body is null ? [] : InBody(body);
            wanted.UnionWith(await InEntriesAsync(db, articleId, cancellationToken));
            var existing = await db.ArticlePictures.Where(p => p.ArticleId == articleId).ToListAsync(cancellationToken);
            foreach (var row in existing.Where(p => !wanted.Contains(p.MediaAssetId)))
            {
                db.ArticlePictures.Remove(row);
            }
            db.ArticlePictures.AddRange(wanted.Except(existing.Select(p => p.MediaAssetId)).Select(id => new ArticlePicture { ArticleId = articleId, MediaAssetId = id }));
        }
    }

    /// <summary>The pictures a live page's entries show, as this save leaves them (deleted entries show none).</summary>
    private static async Task<HashSet<int>> InEntriesAsync(KiosqueDb db, int articleId, CancellationToken cancellationToken)
    {
        var tracked = db.ChangeTracker.Entries<LiveEntry>().Where(e => e.Entity.ArticleId == articleId && e.State != EntityState.Detached).ToList();
        var trackedIds = tracked.Where(e => e.Entity.Id > 0).Select(e => e.Entity.Id).ToList();
        var stored = await db.LiveEntries.AsNoTracking()
            .Where(e => e.ArticleId == articleId && e.DeletedAt == null && !trackedIds.Contains(e.Id))
            .Select(e => e.Body).ToListAsync(cancellationToken);
        var pictures = new HashSet<int>();
        foreach (var body in stored.Concat(tracked.Where(e => e.State != EntityState.Deleted && e.Entity.DeletedAt is null).Select(e => e.Entity.Body)))
        {
            pictures.UnionWith(InBody(body));
        }
        return pictures;
    }

    /// <summary>
    /// Fills the table for bodies written before it existed: run once, right after the migration
    /// that creates it, in batches so a large archive does not sit in memory.
    /// </summary>
    public static async Task BackfillAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        var lastId = 0;
        while (true)
        {
            var batch = await db.Articles.AsNoTracking().Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(500)
                .Select(a => new { a.Id, a.Body }).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }
            foreach (var article in batch)
            {
                db.ArticlePictures.AddRange(InBody(article.Body).Select(id => new ArticlePicture { ArticleId = article.Id, MediaAssetId = id }));
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            lastId = batch[^1].Id;
        }
    }
}
