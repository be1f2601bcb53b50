using System.Globalization;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Api;

/// <summary>
/// One entry of the changes feed: what changed (<see cref="Kind"/> and <see cref="Id"/>) and what
/// a client should do: <c>upsert</c> (fetch it again; <see cref="Slug"/> is its current one) or
/// <c>delete</c> (a tombstone: it is gone, or no longer public; no slug). <see cref="Cursor"/>
/// resumes the feed just after this entry.
/// </summary>
public sealed record ApiChange(string Cursor, DateTimeOffset At, string Kind, int Id, string? Slug, string Action);

/// <summary>
/// GET /api/v1/changes?since=CURSOR: every public change in the order it was made, from the change
/// log every node follows, so an app or a mirror catches up after an outage from the last cursor it
/// kept. Entries tell the current state, never a past one: a change to an article that is public
/// now is an <c>upsert</c>; one that is not (unpublished, deleted) a tombstone with its id only; and
/// the changes of an article that was not public before nor after them (a draft's saves) are left
/// out, so a draft's headline, slug or existence does not leak. Within one page, only the last
/// entry of each record is kept (the earlier ones would say the same).
/// </summary>
public static class ChangesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public const string Upsert = "upsert";
    public const string Delete = "delete";

    public static async Task<Results<Ok<ApiEnvelope<IReadOnlyList<ApiChange>>>, ApiBadRequest>> Changes(
        HttpContext http, KiosqueDb db, SiteFormat format, TimeProvider clock, string? since, int? limit, CancellationToken cancellationToken)
    {
        if (!ChangeCursor.TryParse(since, out var cursor))
        {
            return ApiProblems.BadRequest(http, "since is not a cursor this feed gave (leave it out to start from the beginning).");
        }
        if (ApiPaging.Check(1, limit, MaxLimit) is { } problem)
        {
            return ApiProblems.BadRequest(http, problem);
        }
        var size = limit ?? DefaultLimit;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();

        // First the rows that have filled a hole since, then the ones after the position.
        var late = cursor.Holes.Count == 0 ? [] : await ChangeLogQueries.AmongAsync(db, cursor.HoleIds.ToList(), cancellationToken);
        // Rows that filled a hole are all given out, even past the limit (at most MaxHoleIds), so that
        // dropping the holes too old to be filled later loses none of them.
        var state = cursor.WithoutExpired(now);
        var fresh = await ChangeLogQueries.SinceAsync(db, cursor.Position, _ => true, size, cancellationToken);
        var hasMore = fresh.Count > size;
        fresh = fresh.Take(size).ToList();

        var steps = new List<(ContentChange Change, ChangeCursor After)>();
        foreach (var change in late)
        {
            state = state.Filled(change.Id);
            steps.Add((change, state));
        }
        foreach (var change in fresh)
        {
            state = state.Passed(change.Id, new DateTimeOffset(DateTime.SpecifyKind(change.At, DateTimeKind.Utc)).ToUnixTimeSeconds(), now);
            steps.Add((change, state));
        }

        var entries = await EntriesAsync(db, steps, cancellationToken);
        var next = state.Encode();
        string Url(string? at) => format.Absolute(http.Request, http.Request.Path + (at is null ? "" : "?since=" + at)
            + (limit is null ? "" : (at is null ? "?" : "&") + "limit=" + size.ToString(CultureInfo.InvariantCulture)));
        var links = new ApiLinks(Url(string.IsNullOrEmpty(since) ? null : since), Next: Url(next));
        ApiPaging.SetLinkHeader(http, links);
        // A client that has caught up asks again with the same cursor: the ETag makes that a 304.
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(new ApiEnvelope<IReadOnlyList<ApiChange>>(entries, new ApiMeta(Changes: new ApiChangesPosition(next, hasMore)), links));
    }

    /// <summary>The entries of these changes as they stand now, the last one of each record only.</summary>
    private static async Task<List<ApiChange>> EntriesAsync(KiosqueDb db, List<(ContentChange Change, ChangeCursor After)> steps, CancellationToken cancellationToken)
    {
        List<int> Ids(ChangeScope scope) => steps.Where(s => s.Change.Scope == scope).Select(s => s.Change.EntityId).Distinct().ToList();
        var articleIds = Ids(ChangeScope.Article);
        var sectionIds = Ids(ChangeScope.Section);
        var tagIds = Ids(ChangeScope.Tag);
        var authorIds = Ids(ChangeScope.Author);
        var mediaIds = Ids(ChangeScope.Media);
        var published = db.Published();
        var articles = articleIds.Count == 0 ? [] : await published.Where(a => articleIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Slug, cancellationToken);
        var sections = sectionIds.Count == 0 ? [] : await db.Sections.AsNoTracking().Where(s => sectionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Slug, cancellationToken);
        // As in /tags and /authors: public once a published article shows them.
        var tags = tagIds.Count == 0 ? [] : await db.Tags.AsNoTracking().Where(t => tagIds.Contains(t.Id) && published.Any(a => a.Tags.Any(x => x.TagId == t.Id)))
            .ToDictionaryAsync(t => t.Id, t => t.Slug, cancellationToken);
        var authors = authorIds.Count == 0 ? [] : await db.Authors.AsNoTracking().Where(w => authorIds.Contains(w.Id) && published.Any(a => a.Authors.Any(p => p.AuthorId == w.Id)))
            .ToDictionaryAsync(w => w.Id, w => w.Slug, cancellationToken);
        // The rule /media applies (Media/MediaAccess): shown by a published article or as an author's photo.
        var pictures = mediaIds.Count == 0 ? [] : await db.Media.AsNoTracking()
            .Where(m => mediaIds.Contains(m.Id) && (published.Any(a => a.HeroMediaId == m.Id || a.Pictures.Any(p => p.MediaAssetId == m.Id)) || db.Authors.Any(w => w.PhotoMediaId == m.Id)))
            .Select(m => m.Id).ToListAsync(cancellationToken);

        var entries = new List<ApiChange>();
        var last = new Dictionary<(string, int), int>();
        foreach (var (change, after) in steps)
        {
            var id = change.EntityId;
            (string Kind, string? Slug, string Action)? entry = change.Scope switch
            {
                ChangeScope.Article when change.Deleted => ("article", null, Delete),
                ChangeScope.Article when articles.TryGetValue(id, out var slug) => ("article", slug, Upsert),
                // Not public before the change nor after it: a draft's work, which says nothing to readers.
                ChangeScope.Article when string.IsNullOrEmpty(change.Before) && string.IsNullOrEmpty(change.After) => null,
                ChangeScope.Article => ("article", null, Delete),
                ChangeScope.Section when !change.Deleted && sections.TryGetValue(id, out var slug) => ("section", slug, Upsert),
                ChangeScope.Section => ("section", null, Delete),
                ChangeScope.Tag when !change.Deleted && tags.TryGetValue(id, out var slug) => ("tag", slug, Upsert),
                ChangeScope.Tag when change.Deleted => ("tag", null, Delete),
                ChangeScope.Author when !change.Deleted && authors.TryGetValue(id, out var slug) => ("author", slug, Upsert),
                ChangeScope.Author when change.Deleted => ("author", null, Delete),
                // A picture matters to clients only through what shows it: its new credit, alt or files.
                ChangeScope.Media when !change.Deleted && pictures.Contains(id) => ("picture", null, Upsert),
                _ => null,
            };
            if (entry is not { } e)
            {
                continue;
            }
            if (last.TryGetValue((e.Kind, id), out var earlier))
            {
                entries[earlier] = null!;
            }
            last[(e.Kind, id)] = entries.Count;
            entries.Add(new ApiChange(after.Encode(), ContentApi.Utc(change.At), e.Kind, id, e.Slug, e.Action));
        }
        return entries.Where(e => e is not null).ToList();
    }
}
