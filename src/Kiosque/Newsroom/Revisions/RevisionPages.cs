using System.Net;
using System.Text;
using DiffPlex;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

public sealed record RevisionRow(int Version, DateTime At, string UserName, string Kind);

/// <summary>A save refused because someone else saved first, kept so it can be merged.</summary>
public sealed record ConflictRow(long Id, DateTime At, string UserName);

/// <summary>One compared field: its label and the HTML of the differences (ins/del), or null when equal.</summary>
public sealed record FieldDiff(string Label, string Html, bool Changed);

/// <summary>Revision history: the list, a visual diff between any two, and restoring one.</summary>
public static class RevisionPages
{
    private static readonly char[] WordSeparators = [' ', '\n', '\t', ',', '.', ';', ':', '!', '?', '«', '»', '(', ')'];

    /// <summary>GET /newsroom/articles/{id}/revisions?de=A&amp;a=B</summary>
    public static async Task<IResult> Get(int id, int? de, int? a, HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var article = await db.Articles.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Id, x.Headline, x.Version }).FirstOrDefaultAsync(cancellationToken);
        if (article is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var rows = await db.Revisions.AsNoTracking().Where(r => r.ArticleId == id && r.Kind != ArticleEditor.ConflictKind).OrderByDescending(r => r.Version).ThenByDescending(r => r.Id)
            .Select(r => new RevisionRow(r.Version, r.CreatedAt, r.UserName, r.Kind)).Take(500).ToListAsync(cancellationToken);
        IReadOnlyList<FieldDiff>? diff = null;
        if (de is int from && a is int to)
        {
            var pair = await db.Revisions.AsNoTracking().Where(r => r.ArticleId == id && r.Kind != ArticleEditor.ConflictKind && (r.Version == from || r.Version == to)).ToListAsync(cancellationToken);
            var older = pair.FirstOrDefault(r => r.Version == from);
            var newer = pair.FirstOrDefault(r => r.Version == to);
            if (older is null || newer is null)
            {
                return NewsroomPages.NotFound(http);
            }
            diff = await CompareAsync(db, older.Read(), newer.Read(), text, cancellationToken);
        }
        var conflicts = await db.Revisions.AsNoTracking().Where(r => r.ArticleId == id && r.Kind == ArticleEditor.ConflictKind).OrderByDescending(r => r.Id).Take(20)
            .Select(r => new ConflictRow(r.Id, r.CreatedAt, r.UserName)).ToListAsync(cancellationToken);
        var chrome = new NewsroomChrome(text["Newsroom.Revisions.Title", string.IsNullOrWhiteSpace(article.Headline) ? text["Newsroom.Untitled"] : article.Headline], Staff.Of(http.User), "articles", NewsroomPages.Notice(http));
        return NewsroomPages.Render<RevisionsView>(new { Chrome = chrome, ArticleId = id, Current = article.Version, Rows = rows, From = de, To = a, Diff = diff, Conflicts = conflicts });
    }

    /// <summary>POST /newsroom/articles/{id}/revisions/{version}/restaurer: the old version becomes the newest one.</summary>
    public static async Task<IResult> Restore(int id, int version, HttpContext http, KiosqueDb db, ArticleEditor editor, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var staff = Staff.Of(http.User)!;
        var article = await editor.LoadAsync(id, cancellationToken);
        var revision = await db.Revisions.AsNoTracking().Where(r => r.ArticleId == id && r.Version == version && r.Kind != ArticleEditor.ConflictKind).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (article is null || revision is null)
        {
            return NewsroomPages.NotFound(http);
        }
        if (!ArticleWorkflow.CanEdit(staff, article))
        {
            return NewsroomPages.Forbidden(http);
        }
        var outcome = await editor.RestoreAsync(article, revision, staff, cancellationToken);
        if (!outcome.Saved)
        {
            var message = outcome.Conflict is not null ? text["Newsroom.Editor.Conflict", outcome.Conflict.By, outcome.Conflict.At.ToString("t", System.Globalization.CultureInfo.CurrentCulture)].Value : EditorPages.Describe(outcome.Errors, text);
            return NewsroomPages.Message(http, text["Newsroom.Revisions.RestoreFailed"], message, StatusCodes.Status409Conflict);
        }
        return Results.Redirect($"/newsroom/articles/{id}?ok=restored");
    }

    private static async Task<IReadOnlyList<FieldDiff>> CompareAsync(KiosqueDb db, RevisionSnapshot a, RevisionSnapshot b, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
        (await FieldsAsync(db, a, b, text, cancellationToken)).Select(f => Field(f.Label, f.Before, f.After)).ToList();

    /// <summary>Each editable field of two snapshots as readable text (names, not ids), for diffs and merges.</summary>
    public static async Task<IReadOnlyList<(string Key, string Label, string Before, string After)>> FieldsAsync(KiosqueDb db, RevisionSnapshot a, RevisionSnapshot b, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var sectionIds = new[] { a.SectionId, b.SectionId };
        var sections = await db.Sections.AsNoTracking().Where(s => sectionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var authorIds = a.AuthorIds.Concat(b.AuthorIds).Distinct().ToList();
        var authors = await db.Authors.AsNoTracking().Where(x => authorIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, cancellationToken);
        var tagIds = a.TagIds.Concat(b.TagIds).Distinct().ToList();
        var tags = await db.Tags.AsNoTracking().Where(x => tagIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, cancellationToken);
        var heroIds = new[] { a.HeroMediaId ?? 0, b.HeroMediaId ?? 0 };
        var heroes = await db.Media.AsNoTracking().Where(m => heroIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => string.IsNullOrEmpty(m.Caption) ? m.FileName : m.Caption, cancellationToken);
        string Names(IEnumerable<int> ids, Dictionary<int, string> names) => string.Join(", ", ids.Select(i => names.GetValueOrDefault(i, $"#{i}")));
        string Hero(int? id) => id is int i ? heroes.GetValueOrDefault(i, $"#{i}") : "—";

        return
        [
            ("kicker", text["Newsroom.Field.Kicker"], a.Kicker, b.Kicker),
            ("headline", text["Newsroom.Field.Headline"], a.Headline, b.Headline),
            ("standfirst", text["Newsroom.Field.Standfirst"], a.Standfirst, b.Standfirst),
            ("body", text["Newsroom.Field.Body"], BodyText(a.Body), BodyText(b.Body)),
            ("slug", text["Newsroom.Field.Slug"], a.Slug, b.Slug),
            ("section", text["Newsroom.Field.Section"], sections.GetValueOrDefault(a.SectionId, ""), sections.GetValueOrDefault(b.SectionId, "")),
            ("authors", text["Newsroom.Field.Authors"], Names(a.AuthorIds, authors), Names(b.AuthorIds, authors)),
            ("tags", text["Newsroom.Field.Tags"], Names(a.TagIds, tags), Names(b.TagIds, tags)),
            ("hero", text["Newsroom.Field.Hero"], Hero(a.HeroMediaId), Hero(b.HeroMediaId)),
            ("seoTitle", text["Newsroom.Field.SeoTitle"], a.SeoTitle ?? "", b.SeoTitle ?? ""),
            ("seoDescription", text["Newsroom.Field.SeoDescription"], a.SeoDescription ?? "", b.SeoDescription ?? ""),
        ];
    }

    /// <summary>The body as one line per block, which is what a reader would notice changing.</summary>
    private static string BodyText(string json)
    {
        var lines = new List<string>();
        foreach (var block in ArticleBody.Parse(json).Blocks)
        {
            lines.Add(block switch
            {
                ParagraphBlock p => InlineMarkup.ToPlainText(p.Text),
                HeadingBlock h => "## " + h.Text,
                QuoteBlock q => $"« {q.Text} » — {q.Source.Name} [{q.Verification}]{(q.Note is null ? "" : " " + q.Note)}",
                ListBlock l => string.Join("\n", l.Items.Select(i => "• " + InlineMarkup.ToPlainText(i))),
                ImageBlock i => $"[image #{i.MediaId}] {i.Caption}",
                EmbedBlock e => $"[embed] {e.Url}",
                ReadAlsoBlock r => $"[lire aussi #{r.ArticleId}]",
                _ => "",
            });
        }
        return string.Join("\n", lines);
    }

    /// <summary>A word-level diff as HTML: removed words in del, added ones in ins, the rest as it was.</summary>
    public static FieldDiff Field(string label, string before, string after)
    {
        if (before == after)
        {
            return new FieldDiff(label, Encode(after), false);
        }
        var result = Differ.Instance.CreateWordDiffs(before, after, ignoreWhitespace: false, ignoreCase: false, WordSeparators);
        // Runs of equal, deleted and inserted text, in reading order.
        var runs = new List<(char Kind, string Text)>();
        var positionA = 0;
        foreach (var block in result.DiffBlocks)
        {
            runs.Add(('=', string.Concat(result.PiecesOld.Skip(positionA).Take(block.DeleteStartA - positionA))));
            runs.Add(('-', string.Concat(result.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA))));
            runs.Add(('+', string.Concat(result.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB))));
            positionA = block.DeleteStartA + block.DeleteCountA;
        }
        runs.Add(('=', string.Concat(result.PiecesOld.Skip(positionA))));
        // A lone space between two changes belongs to them: "sera fermé" → "restera ouvert" reads as one change.
        for (var i = 1; i < runs.Count - 1; i++)
        {
            if (runs[i].Kind == '=' && runs[i].Text.Length > 0 && string.IsNullOrWhiteSpace(runs[i].Text) && runs[i - 1].Kind != '=' && i + 1 < runs.Count && runs[i + 1].Kind != '=')
            {
                runs[i] = ('~', runs[i].Text);
            }
        }
        var html = new StringBuilder();
        var deleted = new StringBuilder();
        var inserted = new StringBuilder();
        void Flush()
        {
            if (deleted.Length > 0)
            {
                html.Append("<del>").Append(Encode(deleted.ToString())).Append("</del>");
            }
            if (inserted.Length > 0)
            {
                html.Append("<ins>").Append(Encode(inserted.ToString())).Append("</ins>");
            }
            deleted.Clear();
            inserted.Clear();
        }
        foreach (var (kind, piece) in runs)
        {
            switch (kind)
            {
                case '-':
                    deleted.Append(piece);
                    break;
                case '+':
                    inserted.Append(piece);
                    break;
                case '~':
                    deleted.Append(piece);
                    inserted.Append(piece);
                    break;
                default:
                    Flush();
                    html.Append(Encode(piece));
                    break;
            }
        }
        Flush();
        return new FieldDiff(label, html.ToString(), true);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal);
}
