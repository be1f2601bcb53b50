using System.Globalization;
using System.Text;
using System.Text.Json;
using Kiosque.Content;
using Kiosque.Data;
using Lucene.Net.Documents;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Search;

/// <summary>The names of the index's fields, in one place for the writer, the queries and the tests.</summary>
public static class SearchFields
{
    public const string Id = "id";
    public const string Slug = "slug";
    public const string Status = "status";

    /// <summary>"public" only for what readers may see (published, with a date); everything else is staff-only.</summary>
    public const string Visibility = "visibility";
    public const string Public = "public";
    public const string StaffOnly = "staff";

    /// <summary>Publication date (or last update, for drafts) as UTC ticks: range filters, sorting and the recency boost.</summary>
    public const string Date = "date";

    /// <summary>
    /// Everything a reader may search for, analysed: headline, kicker, standfirst, body, quotes
    /// and their sources, authors, tags and section, one value each. Every word is matched here
    /// only, so a search reads one list of documents per word instead of one per part of the
    /// article; the headline is analysed once more on its own, to rank its matches higher.
    /// </summary>
    public const string Text = "text";


    /// <summary>Analysed for the ranking boost, and stored.</summary>
    public const string Headline = "headline";

    // Stored only (shown in results, read back for snippets).
    public const string Kicker = "kicker";
    public const string Standfirst = "standfirst";
    public const string Body = "body";

    /// <summary>Block quotes with their sources and sourcing notes.</summary>
    public const string Quotes = "quotes";

    public const string Authors = "authors";
    public const string Section = "section";

    public const string SectionSlug = "section_slug";
    public const string TagSlug = "tag_slug";
    public const string AuthorSlug = "author_slug";
}

/// <summary>What the index needs of one article, whatever its status.</summary>
public sealed record IndexedArticle(
    int Id,
    string Slug,
    string Kicker,
    string Headline,
    string Standfirst,
    string Body,
    ArticleStatus Status,
    DateTime? PublishedAt,
    DateTime UpdatedAt,
    string SectionSlug,
    string SectionName,
    IReadOnlyList<AuthorRefLite> Authors,
    IReadOnlyList<TagRefLite> Tags)
{
    /// <summary>What readers may see (<see cref="ArticleVisibility"/>): anything else never reaches a search result.</summary>
    public bool IsPublic => ArticleVisibility.IsVisible(Status, PublishedAt);

    public DateTime Date => PublishedAt ?? UpdatedAt;
}

public sealed record AuthorRefLite(string Slug, string Name);

public sealed record TagRefLite(string Slug, string Name);

public static class ArticleDocuments
{
    /// <summary>The articles with these ids that still exist (deleted ones are simply absent).</summary>
    public static Task<List<IndexedArticle>> LoadAsync(KiosqueDb db, IReadOnlyCollection<int> ids, CancellationToken cancellationToken) =>
        Project(db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))).ToListAsync(cancellationToken);

    /// <summary>The next articles after <paramref name="afterId"/>, by id: a full rebuild reads the table in these slices.</summary>
    public static Task<List<IndexedArticle>> LoadSliceAsync(KiosqueDb db, int afterId, int count, CancellationToken cancellationToken) =>
        Project(db.Articles.AsNoTracking().Where(a => a.Id > afterId).OrderBy(a => a.Id).Take(count)).ToListAsync(cancellationToken);

    private static IQueryable<IndexedArticle> Project(IQueryable<Article> articles) =>
        articles.Select(a => new IndexedArticle(
            a.Id,
            a.Slug,
            a.Kicker,
            a.Headline,
            a.Standfirst,
            a.Body,
            a.Status,
            a.PublishedAt,
            a.UpdatedAt,
            a.Section.Slug,
            a.Section.Name,
            a.Authors.OrderBy(p => p.Position).Select(p => new AuthorRefLite(p.Author.Slug, p.Author.Name)).ToList(),
            a.Tags.Select(t => new TagRefLite(t.Tag.Slug, t.Tag.Name)).ToList()))
        .AsSplitQuery();

    public static Document ToDocument(IndexedArticle article)
    {
        var (body, quotes) = SplitBody(article.Body);
        var document = new Document
        {
            new StringField(SearchFields.Id, article.Id.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
            new NumericDocValuesField(SearchFields.Id, article.Id),
            new StoredField(SearchFields.Slug, article.Slug),
            new StringField(SearchFields.Status, article.Status.ToString(), Field.Store.YES),
            new StringField(SearchFields.Visibility, article.IsPublic ? SearchFields.Public : SearchFields.StaffOnly, Field.Store.NO),
            new Int64Field(SearchFields.Date, article.Date.Ticks, Field.Store.YES),
            new NumericDocValuesField(SearchFields.Date, article.Date.Ticks),
            new TextField(SearchFields.Headline, article.Headline, Field.Store.YES),
            new StoredField(SearchFields.Kicker, article.Kicker),
            new StoredField(SearchFields.Standfirst, article.Standfirst),
            new StoredField(SearchFields.Body, body),
            new StoredField(SearchFields.Quotes, quotes),
            new StoredField(SearchFields.Section, article.SectionName),
            new StringField(SearchFields.SectionSlug, article.SectionSlug, Field.Store.YES),
        };
        foreach (var text in (IEnumerable<string>)[article.Headline, article.Kicker, article.Standfirst, body, quotes, article.SectionName])
        {
            if (text.Length > 0)
            {
                document.Add(new TextField(SearchFields.Text, text, Field.Store.NO));
            }
        }
        foreach (var author in article.Authors)
        {
            document.Add(new StoredField(SearchFields.Authors, author.Name));
            document.Add(new TextField(SearchFields.Text, author.Name, Field.Store.NO));
            document.Add(new StringField(SearchFields.AuthorSlug, author.Slug, Field.Store.NO));
        }
        foreach (var tag in article.Tags)
        {
            document.Add(new TextField(SearchFields.Text, tag.Name, Field.Store.NO));
            document.Add(new StringField(SearchFields.TagSlug, tag.Slug, Field.Store.NO));
        }
        return document;
    }

    /// <summary>
    /// The body's prose (paragraphs, headings, lists, captions, embeds' titles) and, apart, what it
    /// quotes from others with the sources: both are searched, and a snippet can come from either.
    /// It reads the stored JSON as a plain document rather than through the typed blocks of
    /// <see cref="ArticleBody"/>: a rebuild reads every body in the archive, and the polymorphic
    /// reader costs several times more per body. A body that cannot be read is indexed without its
    /// text rather than stopping the indexer.
    /// </summary>
    public static (string Body, string Quotes) SplitBody(string json)
    {
        var body = new StringBuilder(json.Length);
        var quotes = new StringBuilder();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("blocks", out var blocks) || blocks.ValueKind != JsonValueKind.Array)
            {
                return ("", "");
            }
            foreach (var block in blocks.EnumerateArray())
            {
                switch (Text(block, "type"))
                {
                    case "paragraph":
                        body.AppendLine(InlineMarkup.ToPlainText(Text(block, "text") ?? ""));
                        break;
                    case "heading":
                        body.AppendLine(Text(block, "text"));
                        break;
                    case "list" when block.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array:
                        foreach (var item in items.EnumerateArray())
                        {
                            body.AppendLine(InlineMarkup.ToPlainText(item.ValueKind == JsonValueKind.String ? item.GetString()! : ""));
                        }
                        break;
                    case "image":
                        body.AppendLine(Text(block, "caption"));
                        break;
                    case "embed":
                        body.AppendLine(Text(block, "title"));
                        break;
                    case "quote":
                        quotes.Append("« ").Append(Text(block, "text")).Append(" » — ");
                        if (block.TryGetProperty("source", out var source))
                        {
                            quotes.Append(Text(source, "name"));
                        }
                        quotes.AppendLine().AppendLine(Text(block, "note"));
                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return ("", "");
        }
        return (body.ToString(), quotes.ToString());
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
