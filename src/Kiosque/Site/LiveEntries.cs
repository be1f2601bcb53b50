using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Site;

/// <summary>What a reader sees of one entry of a live page.</summary>
public sealed record LiveEntryView(
    int Id,
    DateTime PostedAt,
    DateTime? EditedAt,
    string AuthorName,
    string? AuthorSlug,
    string Title,
    string Body,
    bool Pinned,
    bool KeyEvent,
    string? CorrectionNote,
    DateTime? DeletedAt,
    string? DeletionNote);

/// <summary>
/// The markup of live entries, written once here for the page, the update fragment
/// (<c>/direct/{slug}/depuis/{id}</c>) and the stream's events, so a reader's page looks the same
/// however its entries arrived. A deleted entry keeps its place, saying when it was deleted and why.
/// </summary>
public sealed class LiveEntries(BodyRenderer renderer, SiteFormat format, IStringLocalizer<SharedResource> text)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The id an entry's element carries, which links and the script use.</summary>
    public static string Anchor(int id) => "entree-" + id;

    public static IQueryable<LiveEntryView> Views(IQueryable<LiveEntry> entries) =>
        entries.Select(e => new LiveEntryView(e.Id, e.PostedAt, e.EditedAt, e.AuthorName, e.Author == null ? null : e.Author.Slug,
            e.Title, e.Body, e.Pinned, e.KeyEvent, e.CorrectionNote, e.DeletedAt, e.DeletionNote));

    /// <summary>The pictures and read-also targets of all these entries, in two queries.</summary>
    public static Task<BodyReferences> ReferencesAsync(KiosqueDb db, IEnumerable<LiveEntryView> entries, CancellationToken cancellationToken) =>
        ArticlePage.LoadReferencesAsync(db, ArticleBody.Of([.. entries.Where(e => e.DeletedAt is null).SelectMany(e => Parse(e.Body).Blocks)]), cancellationToken);

    /// <summary>The blocks of an entry; an unreadable body shows nothing rather than failing the page.</summary>
    public static ArticleBody Parse(string body)
    {
        try
        {
            return ArticleBody.Parse(body);
        }
        catch (Exception exception) when (exception is InvalidArticleBodyException or System.Text.Json.JsonException)
        {
            return ArticleBody.Of();
        }
    }

    /// <param name="id">The element's id: the entry's anchor in the list, another one for the pinned copy.</param>
    public string Render(LiveEntryView entry, BodyReferences refs, string? id = null)
    {
        var html = new StringBuilder(2048);
        id ??= Anchor(entry.Id);
        if (entry.DeletedAt is DateTime deleted)
        {
            html.Append("<article class=\"live-entry live-entry-deleted\" id=\"").Append(id).Append("\" data-entry=\"").Append(entry.Id).Append("\">")
                .Append("<p class=\"live-entry-meta\"><time datetime=\"").Append(format.Iso(deleted)).Append("\">")
                .Append(Html.Encode(text["Live.Deleted", format.Time(deleted)])).Append("</time></p>");
            if (!string.IsNullOrWhiteSpace(entry.DeletionNote))
            {
                html.Append("<p class=\"live-entry-note\">").Append(Html.Encode(entry.DeletionNote)).Append("</p>");
            }
            return html.Append("</article>\n").ToString();
        }
        html.Append("<article class=\"live-entry").Append(entry.KeyEvent ? " live-entry-key" : "").Append("\" id=\"").Append(id)
            .Append("\" data-entry=\"").Append(entry.Id).Append("\"><header class=\"live-entry-header\"><p class=\"live-entry-meta\">")
            .Append("<a href=\"#").Append(Anchor(entry.Id)).Append("\"><time datetime=\"").Append(format.Iso(entry.PostedAt)).Append("\">")
            .Append(Html.Encode(format.Time(entry.PostedAt))).Append("</time></a>");
        if (!string.IsNullOrEmpty(entry.AuthorName))
        {
            html.Append(" · ");
            if (entry.AuthorSlug is not null)
            {
                html.Append("<a rel=\"author\" href=\"").Append(Html.Encode(SiteFormat.AuthorPath(entry.AuthorSlug))).Append("\">").Append(Html.Encode(entry.AuthorName)).Append("</a>");
            }
            else
            {
                html.Append(Html.Encode(entry.AuthorName));
            }
        }
        html.Append("</p>");
        if (!string.IsNullOrWhiteSpace(entry.Title))
        {
            html.Append("<h3 class=\"live-entry-title\">").Append(Html.Encode(entry.Title)).Append("</h3>");
        }
        html.Append("</header><div class=\"article-body live-entry-body\">").Append(renderer.ToHtml(Parse(entry.Body), refs)).Append("</div>");
        if (!string.IsNullOrWhiteSpace(entry.CorrectionNote))
        {
            html.Append("<p class=\"live-entry-correction\">").Append(Html.Encode(text["Live.Correction", entry.CorrectionNote])).Append("</p>");
        }
        if (entry.EditedAt is DateTime edited)
        {
            html.Append("<p class=\"live-entry-edited\"><time datetime=\"").Append(format.Iso(edited)).Append("\">")
                .Append(Html.Encode(text["Live.Edited", format.Time(edited)])).Append("</time></p>");
        }
        return html.Append("</article>\n").ToString();
    }
}
