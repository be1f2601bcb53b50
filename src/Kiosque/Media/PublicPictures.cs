using System.Collections.Concurrent;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Media;

/// <summary>
/// Whether readers may fetch a picture's renditions: only while something they can see shows it
/// (a published article, as hero, in its body or in a live entry, or an author's photo). Answers are kept per
/// rendition folder and forgotten at every change to articles, authors or pictures on any node
/// (the change feed), so a publication opens its pictures and an unpublication closes them.
/// </summary>
public sealed class PublicPictures(IServiceScopeFactory scopes, TimeProvider clock) : IContentChangeHandler
{
    // Refusals are kept briefly and in bounded number: anyone can ask for made-up folders.
    private static readonly TimeSpan RefusalLifetime = TimeSpan.FromSeconds(10);
    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, (bool Public, long At)> _answers = new(StringComparer.Ordinal);

    /// <summary>The rendition folder (<c>r/ab/abcd…</c>) a public media path is in; null outside the rendition tree.</summary>
    public static string? FolderOf(string path)
    {
        var parts = path.TrimStart('/').Split('/');
        return parts.Length >= 4 && parts[0] == RenditionPlan.RenditionsRoot ? $"{parts[0]}/{parts[1]}/{parts[2]}" : null;
    }

    public async Task<bool> IsPublicAsync(string folder, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (_answers.TryGetValue(folder, out var known) && (known.Public || clock.GetElapsedTime(known.At, now) < RefusalLifetime))
        {
            return known.Public;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        var ids = await PicturesInAsync(db, folder, cancellationToken);
        var isPublic = ids.Count > 0 && (
            await db.Published().AnyAsync(a => ids.Contains(a.HeroMediaId!.Value) || a.Pictures.Any(p => ids.Contains(p.MediaAssetId)), cancellationToken)
            || await db.Authors.AnyAsync(a => a.PhotoMediaId != null && ids.Contains(a.PhotoMediaId.Value), cancellationToken));
        if (_answers.Count >= MaxEntries)
        {
            _answers.Clear();
        }
        _answers[folder] = (isPublic, now);
        return isPublic;
    }

    /// <summary>For a preview link: whether this article (whatever its status) shows a picture of the folder.</summary>
    public async Task<bool> ShownByAsync(string folder, int articleId, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        var ids = await PicturesInAsync(db, folder, cancellationToken);
        return ids.Count > 0 && await db.Articles.AsNoTracking()
            .AnyAsync(a => a.Id == articleId && (ids.Contains(a.HeroMediaId!.Value) || a.Pictures.Any(p => ids.Contains(p.MediaAssetId))), cancellationToken);
    }

    public Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Any(c => c.Scope is ChangeScope.Article or ChangeScope.Author or ChangeScope.Media or ChangeScope.LiveEntry))
        {
            _answers.Clear();
        }
        return Task.CompletedTask;
    }

    // Every file of a picture is in its folder: the fallback JPEG from the upload on, the other
    // widths and the crops once made. Identical uploads share a folder, hence a list.
    private static Task<List<int>> PicturesInAsync(KiosqueDb db, string folder, CancellationToken cancellationToken) =>
        db.Media.AsNoTracking()
            .Where(m => m.RenditionsPath == folder || m.FileName.StartsWith(folder + "/"))
            .Select(m => m.Id).ToListAsync(cancellationToken);
}
