using System.Globalization;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Newsroom;

/// <summary>What the editor form sends: the fields, the body as Editor.js data and the version it was based on.</summary>
public sealed record ArticleInput(
    int Version,
    string Kicker,
    string Headline,
    string Standfirst,
    string Slug,
    int SectionId,
    int? HeroMediaId,
    IReadOnlyList<int> AuthorIds,
    IReadOnlyList<int> TagIds,
    string? SeoTitle,
    string? SeoDescription,
    string BodyJson)
{
    public static ArticleInput Read(IFormCollection form) => new(
        Number(form["version"]) ?? -1,
        form["kicker"].ToString().Trim(),
        form["headline"].ToString().Trim(),
        form["standfirst"].ToString().Trim(),
        form["slug"].ToString().Trim(),
        Number(form["section"]) ?? 0,
        Number(form["hero"]) is int hero and > 0 ? hero : null,
        form["authors"].Select(Number).OfType<int>().Where(id => id > 0).Distinct().ToList(),
        form["tags"].Select(Number).OfType<int>().Where(id => id > 0).Distinct().ToList(),
        Blank(form["seoTitle"].ToString().Trim()),
        Blank(form["seoDescription"].ToString().Trim()),
        form["body"].ToString());

    private static int? Number(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string? Blank(string text) => text.Length == 0 ? null : text;
}

/// <summary>How a save ended: saved (new version), refused (errors), or in conflict with someone else's save.</summary>
public sealed record SaveOutcome(int Version, IReadOnlyList<string> Errors, Conflict? Conflict)
{
    public bool Saved => Errors.Count == 0 && Conflict is null;
}

/// <summary>The save that won: who made it and when, so the loser can decide what to do.</summary>
public sealed record Conflict(int CurrentVersion, string By, DateTime At)
{
    /// <summary>The refused save, kept as a revision to merge from; null when it could not be read.</summary>
    public long? MergeRevisionId { get; init; }
}

/// <summary>
/// Saving an article from the newsroom: checks, optimistic concurrency on <see cref="Article.Version"/>,
/// a revision for every save, and a redirect when the slug of a published article changes.
/// </summary>
public sealed class ArticleEditor(KiosqueDb db, TimeProvider clock)
{
    public Task<Article?> LoadAsync(int id, CancellationToken cancellationToken) =>
        db.Articles.Include(a => a.Authors).Include(a => a.Tags).AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    public async Task<SaveOutcome> SaveAsync(Article article, ArticleInput input, Staff staff, string kind, CancellationToken cancellationToken)
    {
        if (input.Version != article.Version)
        {
            return await RefuseAsync(article, input, staff, cancellationToken);
        }
        var errors = new List<string>();
        var body = EditorJsBody.FromEditorJs(input.BodyJson, errors);
        var slug = input.Slug;
        // A draft keeps the placeholder slug it was born with until it has a headline to name it.
        if (slug.Length == 0 || (article.PublishedAt is null && slug == article.Slug && IsPlaceholder(slug) && input.Headline.Length > 0))
        {
            slug = await FreeSlugAsync(Content.Slug.From(input.Headline), article, cancellationToken);
        }
        Check(errors, input.Kicker.Length <= 120, "kicker.too-long");
        Check(errors, input.Headline.Length <= 300, "headline.too-long");
        Check(errors, input.Standfirst.Length <= 1000, "standfirst.too-long");
        Check(errors, (input.SeoTitle?.Length ?? 0) <= 300, "seo-title.too-long");
        Check(errors, (input.SeoDescription?.Length ?? 0) <= 500, "seo-description.too-long");
        Check(errors, slug.Length is > 0 and <= 200 && Content.Slug.From(slug, 200) == slug, "slug.invalid");
        Check(errors, input.AuthorIds.Count <= 10 && input.TagIds.Count <= 30, "too-many");
        if (errors.Count == 0)
        {
            Check(errors, !await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != article.Id, cancellationToken), "slug.taken");
            // Another article's old address still brings its readers to it: taking it over would
            // send shared links and search results to the wrong story.
            Check(errors, slug == article.Slug || !await OldAddresses.LeadElsewhereAsync(db, SiteFormat.ArticlePath(slug), SiteFormat.ArticlePath(article.Slug), cancellationToken), "slug.old-address");
            Check(errors, await db.Sections.AnyAsync(s => s.Id == input.SectionId, cancellationToken), "section.missing");
            Check(errors, await db.Authors.CountAsync(a => input.AuthorIds.Contains(a.Id), cancellationToken) == input.AuthorIds.Count, "author.missing");
            Check(errors, await db.Tags.CountAsync(t => input.TagIds.Contains(t.Id), cancellationToken) == input.TagIds.Count, "tag.missing");
            Check(errors, input.HeroMediaId is not int hero || await db.Media.AnyAsync(m => m.Id == hero, cancellationToken), "hero.missing");
            var mediaIds = body?.Blocks.OfType<ImageBlock>().Select(b => b.MediaId).Distinct().ToList() ?? [];
            Check(errors, mediaIds.Count == 0 || await db.Media.CountAsync(m => mediaIds.Contains(m.Id), cancellationToken) == mediaIds.Count, "image.missing");
            var readAlso = body?.Blocks.OfType<ReadAlsoBlock>().Select(b => b.ArticleId).Distinct().ToList() ?? [];
            Check(errors, readAlso.Count == 0 || await db.Articles.CountAsync(a => readAlso.Contains(a.Id), cancellationToken) == readAlso.Count, "read-also.missing");
        }
        if (errors.Count > 0 || body is null)
        {
            return new SaveOutcome(article.Version, errors.Distinct().ToList(), null);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var oldSlug = article.Slug;
        article.Kicker = input.Kicker;
        article.Headline = input.Headline;
        article.Standfirst = input.Standfirst;
        article.Slug = slug;
        article.SectionId = input.SectionId;
        article.HeroMediaId = input.HeroMediaId;
        article.SeoTitle = input.SeoTitle;
        article.SeoDescription = input.SeoDescription;
        article.Body = body.ToJson();
        SetAuthors(article, input.AuthorIds);
        SetTags(article, input.TagIds);
        if (oldSlug != slug && article.PublishedAt is not null)
        {
            await OldAddresses.KeepAsync(db, SiteFormat.ArticlePath(oldSlug), SiteFormat.ArticlePath(slug), now, cancellationToken);
        }
        var outcome = await CommitAsync(article, staff, kind, now, cancellationToken);
        if (outcome.Conflict is not null)
        {
            // Lost the race to another save between our read and our write.
            return await RefuseAsync(article, input, staff, cancellationToken);
        }
        return outcome;
    }

    public const string ConflictKind = "conflict";

    /// <summary>
    /// A save based on an old version is refused, and kept aside as a "conflict" revision (not a
    /// version of the article), so the journalist can merge it field by field and lose nothing.
    /// </summary>
    private async Task<SaveOutcome> RefuseAsync(Article article, ArticleInput input, Staff staff, CancellationToken cancellationToken)
    {
        var conflict = await ConflictAsync(article.Id, cancellationToken);
        var body = EditorJsBody.FromEditorJs(input.BodyJson, []);
        if (body is null)
        {
            return new SaveOutcome(conflict.CurrentVersion, [], conflict);
        }
        var snapshot = new RevisionSnapshot(
            input.Slug.Length == 0 ? article.Slug : input.Slug, input.Kicker, input.Headline, input.Standfirst, body.ToJson(), input.SectionId, input.HeroMediaId,
            input.SeoTitle, input.SeoDescription, input.AuthorIds, [.. input.TagIds.Order()]);
        var kept = new ArticleRevision
        {
            ArticleId = article.Id,
            Version = input.Version,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            UserId = staff.Id,
            UserName = staff.Name,
            Kind = ConflictKind,
            Snapshot = snapshot.ToJson(),
        };
        db.ChangeTracker.Clear();
        db.Revisions.Add(kept);
        await db.SaveChangesAsync(cancellationToken);
        return new SaveOutcome(conflict.CurrentVersion, [], conflict with { MergeRevisionId = kept.Id });
    }

    /// <summary>Puts an old revision back as a new save (the history keeps both).</summary>
    public async Task<SaveOutcome> RestoreAsync(Article article, ArticleRevision revision, Staff staff, CancellationToken cancellationToken)
    {
        var snapshot = revision.Read();
        var input = new ArticleInput(
            article.Version, snapshot.Kicker, snapshot.Headline, snapshot.Standfirst, snapshot.Slug, snapshot.SectionId, snapshot.HeroMediaId,
            snapshot.AuthorIds, snapshot.TagIds, snapshot.SeoTitle, snapshot.SeoDescription,
            EditorJsBody.ToEditorJs(ArticleBody.Parse(snapshot.Body)).ToJsonString());
        return await SaveAsync(article, input, staff, $"restore:{revision.Version}", cancellationToken);
    }

    private async Task<SaveOutcome> CommitAsync(Article article, Staff staff, string kind, DateTime now, CancellationToken cancellationToken)
    {
        // The UPDATE is conditional on the version read: a save that slipped in between makes it fail.
        var based = article.Version;
        db.Entry(article).Property(a => a.Version).OriginalValue = based;
        article.Version = based + 1;
        article.UpdatedAt = now;
        var snapshot = RevisionSnapshot.Of(article).ToJson();
        if (await SupersededAutosaveAsync(article.Id, based, staff, kind, now, cancellationToken) is { } superseded)
        {
            db.Revisions.Remove(superseded);
        }
        db.Revisions.Add(new ArticleRevision
        {
            ArticleId = article.Id,
            Version = article.Version,
            CreatedAt = now,
            UserId = staff.Id,
            UserName = staff.Name,
            Kind = kind,
            Snapshot = snapshot,
        });
        if (kind != "autosave")
        {
            Audit.Record(db, clock, staff, kind.StartsWith("restore", StringComparison.Ordinal) ? "article.restored" : "article.saved", $"#{article.Id} {article.Slug}", $"version {article.Version}");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new SaveOutcome(article.Version, [], null);
            }
            catch (DbUpdateConcurrencyException)
            {
                if (attempt < 3 && await OnlyStatusMovedAsync(article, based, staff, cancellationToken))
                {
                    // A workflow step (the scheduler publishing, an editor submitting) came in
                    // between, not another save: the text this save was based on is still current.
                    continue;
                }
                db.ChangeTracker.Clear();
                return new SaveOutcome(based, [], await ConflictAsync(article.Id, cancellationToken));
            }
            catch (DbUpdateException)
            {
                // The only constraint a valid form can still break is a slug taken at the same moment.
                db.ChangeTracker.Clear();
                return new SaveOutcome(based, ["slug.taken"], null);
            }
        }
    }

    /// <summary>
    /// True when the article still has the version this save was based on and only its status
    /// moved, and this person may still edit it in its new status; the tracked article then takes
    /// the new status (and schedule) so the save can be tried again without undoing the step.
    /// </summary>
    private async Task<bool> OnlyStatusMovedAsync(Article article, int based, Staff staff, CancellationToken cancellationToken)
    {
        var current = await db.Articles.AsNoTracking().Where(a => a.Id == article.Id)
            .Select(a => new { a.Version, a.Status, a.ScheduledAt, a.PublishedAt }).FirstOrDefaultAsync(cancellationToken);
        if (current is null || current.Version != based)
        {
            return false;
        }
        var entry = db.Entry(article);
        foreach (var (property, value) in new (string, object?)[] { (nameof(Article.Status), current.Status), (nameof(Article.ScheduledAt), current.ScheduledAt), (nameof(Article.PublishedAt), current.PublishedAt) })
        {
            entry.Property(property).CurrentValue = value;
            entry.Property(property).OriginalValue = value;
            entry.Property(property).IsModified = false;
        }
        return ArticleWorkflow.CanEdit(staff, article);
    }

    /// <summary>
    /// Autosaves less than this apart, by the same person, with nothing else saved in between,
    /// belong to one editing session, which keeps only its last two states.
    /// </summary>
    public static readonly TimeSpan AutosaveSession = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The revision an autosave makes unnecessary: the one before the article's latest, when both
    /// are the same person's autosaves of this session, one version apart. An autosave runs every
    /// few seconds while someone types and each revision is a full copy (up to 2 MB), so a session
    /// keeps two: its latest state, and the one before, which is the version a colleague who
    /// opened the article meanwhile most likely based their edit on (a merge needs it to tell who
    /// changed what). Explicit saves, restores and merges always keep their own.
    /// </summary>
    private async Task<ArticleRevision?> SupersededAutosaveAsync(int articleId, int based, Staff staff, string kind, DateTime now, CancellationToken cancellationToken)
    {
        if (kind != "autosave")
        {
            return null;
        }
        var lastTwo = await db.Revisions.Where(r => r.ArticleId == articleId && r.Kind != ConflictKind).OrderByDescending(r => r.Id).Take(2).ToListAsync(cancellationToken);
        bool Mine(ArticleRevision r) => r.Kind == "autosave" && r.UserId == staff.Id && now - r.CreatedAt < AutosaveSession;
        return lastTwo is [var latest, var previous] && Mine(latest) && Mine(previous) && latest.Version == based && previous.Version == based - 1
            ? previous
            : null;
    }

    public async Task<Conflict> ConflictAsync(int articleId, CancellationToken cancellationToken)
    {
        var current = await db.Articles.AsNoTracking().Where(a => a.Id == articleId).Select(a => new { a.Version, a.UpdatedAt }).FirstAsync(cancellationToken);
        var last = await db.Revisions.AsNoTracking().Where(r => r.ArticleId == articleId && r.Kind != ConflictKind).OrderByDescending(r => r.Id)
            .Select(r => new { r.UserName, r.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
        return new Conflict(current.Version, last?.UserName ?? "?", last?.CreatedAt ?? current.UpdatedAt);
    }

    private void SetAuthors(Article article, IReadOnlyList<int> ids)
    {
        var wanted = ids.Select((id, i) => (id, i)).ToList();
        foreach (var old in article.Authors.Where(a => !ids.Contains(a.AuthorId)).ToList())
        {
            article.Authors.Remove(old);
            db.ArticleAuthors.Remove(old);
        }
        foreach (var (id, position) in wanted)
        {
            var existing = article.Authors.FirstOrDefault(a => a.AuthorId == id);
            if (existing is null)
            {
                article.Authors.Add(new ArticleAuthor { ArticleId = article.Id, AuthorId = id, Position = position });
            }
            else
            {
                existing.Position = position;
            }
        }
    }

    private void SetTags(Article article, IReadOnlyList<int> ids)
    {
        foreach (var old in article.Tags.Where(t => !ids.Contains(t.TagId)).ToList())
        {
            article.Tags.Remove(old);
            db.ArticleTags.Remove(old);
        }
        foreach (var id in ids.Where(id => article.Tags.All(t => t.TagId != id)))
        {
            article.Tags.Add(new ArticleTag { ArticleId = article.Id, TagId = id });
        }
    }

    public const string PlaceholderPrefix = "brouillon-";

    public static bool IsPlaceholder(string slug) => slug.StartsWith(PlaceholderPrefix, StringComparison.Ordinal);

    public static string NewPlaceholder() => PlaceholderPrefix + Guid.NewGuid().ToString("N")[..12];

    private async Task<string> FreeSlugAsync(string wanted, Article article, CancellationToken cancellationToken)
    {
        if (wanted.Length == 0)
        {
            return article.Slug;
        }
        for (var n = 1; n < 50; n++)
        {
            var candidate = n == 1 ? wanted : $"{wanted}-{n}";
            var path = SiteFormat.ArticlePath(candidate);
            if (!await db.Articles.AnyAsync(a => a.Slug == candidate && a.Id != article.Id, cancellationToken)
                && !await db.Redirects.AnyAsync(r => r.FromPath == path, cancellationToken))
            {
                return candidate;
            }
        }
        return article.Slug;
    }

    private static void Check(List<string> errors, bool ok, string error)
    {
        if (!ok)
        {
            errors.Add(error);
        }
    }
}
