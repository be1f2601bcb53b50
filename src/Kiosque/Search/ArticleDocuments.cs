using System.Globalization;
using System.Text;
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

    public const string Headline = "headline";
    public const string Kicker = "kicker";
    public const string Standfirst = "standfirst";
    public const string Body = "body";

    /// <summary>Block quotes with their sources and sourcing notes.</summary>
    public const string Quotes = "quotes";

    public const string Authors = "authors";
    public const string Tags = "tags";
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
    /// <summary>The same rule as <c>db.Published()</c>: anything else never reaches a reader.</summary>
    public bool IsPublic => Status == ArticleStatus.Published && PublishedAt is not null;

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
            new StoredField(SearchFields.Slug, article.Slug),
            new StringField(SearchFields.Status, article.Status.ToString(), Field.Store.YES),
            new StringField(SearchFields.Visibility, article.IsPublic ? SearchFields.Public : SearchFields.StaffOnly, Field.Store.NO),
            new Int64Field(SearchFields.Date, article.Date.Ticks, Field.Store.YES),
            new NumericDocValuesField(SearchFields.Date, article.Date.Ticks),
            new TextField(SearchFields.Headline, article.Headline, Field.Store.YES),
            new TextField(SearchFields.Kicker, article.Kicker, Field.Store.YES),
            new TextField(SearchFields.Standfirst, article.Standfirst, Field.Store.YES),
            new TextField(SearchFields.Body, body, Field.Store.YES),
            new TextField(SearchFields.Quotes, quotes, Field.Store.YES),
            new TextField(SearchFields.Section, article.SectionName, Field.Store.YES),
            new StringField(SearchFields.SectionSlug, article.SectionSlug, Field.Store.YES),
        };
        foreach (var author in article.Authors)
        {
            document.Add(new TextField(SearchFields.Authors, author.Name, Field.Store.YES));
            document.Add(new StringField(SearchFields.AuthorSlug, author.Slug, Field.Store.NO));
        }
        foreach (var tag in article.Tags)
        {
            document.Add(new TextField(SearchFields.Tags, tag.Name, Field.Store.NO));
            document.Add(new StringField(SearchFields.TagSlug, tag.Slug, Field.Store.NO));
        }
        return document;
    }

    /// <summary>
    /// The body's prose (paragraphs, headings, lists, captions, embeds' titles) and, apart, what it
    /// quotes from others with the sources: both are searched, and a snippet can come from either.
    /// A body that cannot be read is indexed without its text rather than stopping the indexer.
    /// </summary>
    public static (string Body, string Quotes) SplitBody(string json)
    {
        ArticleBody parsed;
        try
        {
            parsed = ArticleBody.Parse(json);
        }
        catch (Exception exception) when (exception is InvalidArticleBodyException or System.Text.Json.JsonException or NotSupportedException)
        {
            return ("", "");
        }
        var body = new StringBuilder(json.Length);
        var quotes = new StringBuilder();
        foreach (var block in parsed.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    body.AppendLine(InlineMarkup.ToPlainText(p.Text));
                    break;
                case HeadingBlock h:
                    body.AppendLine(h.Text);
                    break;
                case ListBlock l:
                    foreach (var item in l.Items)
                    {
                        body.AppendLine(InlineMarkup.ToPlainText(item));
                    }
                    break;
                case ImageBlock { Caption: not null } i:
                    body.AppendLine(i.Caption);
                    break;
                case EmbedBlock { Title: not null } e:
                    body.AppendLine(e.Title);
                    break;
                case QuoteBlock q:
                    quotes.Append("« ").Append(q.Text).Append(" » — ").AppendLine(q.Source.Name);
                    if (!string.IsNullOrWhiteSpace(q.Note))
                    {
                        quotes.AppendLine(q.Note);
                    }
                    break;
                default:
                    break;
            }
        }
        return (body.ToString(), quotes.ToString());
    }
}
