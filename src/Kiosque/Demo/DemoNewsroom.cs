using System.Reflection;
using System.Text.Json;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Demo;

/// <summary>
/// The demo newsroom: original French content (Demo/newsroom.json) with locally generated photos,
/// published over the weeks before the moment of seeding so the site looks alive.
/// </summary>
public sealed partial class DemoNewsroom(KiosqueDb db, MediaIngest ingest, TimeProvider clock, ILogger<DemoNewsroom> logger)
{
    private const int HeroWidth = 1600, HeroHeight = 900, PortraitSize = 480;

    /// <summary>Seeds only an empty database: a newsroom's real content is never touched.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Articles.AnyAsync(cancellationToken) || await db.Sections.AnyAsync(cancellationToken))
        {
            LogNotEmpty(logger);
            return false;
        }
        var content = Load();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var sections = content.Sections.Select((s, i) => new Section { Slug = s.Slug, Name = s.Name, Description = s.Description, Position = i })
            .ToDictionary(s => s.Slug);
        var tags = content.Tags.Select(t => new Tag { Slug = t.Slug, Name = t.Name }).ToDictionary(t => t.Slug);
        var authors = new Dictionary<string, Author>();
        foreach (var (a, i) in content.Authors.Select((a, i) => (a, i)))
        {
            var photo = await SaveImageAsync($"demo/auteur-{a.Slug}.jpg", PortraitSize, PortraitSize, (i * 47) % 360, a.Name, "Le Courrier du Delta", $"Portrait de {a.Name}", now, cancellationToken);
            authors[a.Slug] = new Author { Slug = a.Slug, Name = a.Name, Bio = a.Bio, Photo = photo };
        }
        db.AddRange(sections.Values);
        db.AddRange(tags.Values);
        db.AddRange(authors.Values);

        var articles = new List<(DemoArticle Demo, Article Article)>();
        foreach (var demo in content.Articles)
        {
            var published = now.AddHours(-demo.AgeHours);
            var updated = demo.UpdatedAfterHours is double after ? published.AddHours(after) : published;
            var hero = await SaveImageAsync($"demo/{demo.Slug}.jpg", HeroWidth, HeroHeight, demo.Hero.Hue, demo.Hero.Caption, demo.Hero.Credit, demo.Hero.Alt, published, cancellationToken);
            var status = Enum.TryParse<ArticleStatus>(demo.Status, ignoreCase: true, out var s) ? s : ArticleStatus.Published;
            var article = new Article
            {
                Slug = demo.Slug,
                Kicker = demo.Kicker,
                Headline = demo.Headline,
                Standfirst = demo.Standfirst,
                Section = sections[demo.Section],
                HeroMedia = hero,
                Status = status,
                PublishedAt = status == ArticleStatus.Draft ? null : published,
                CreatedAt = published.AddHours(-2),
                UpdatedAt = updated,
                SeoTitle = demo.SeoTitle,
                SeoDescription = demo.SeoDescription,
                Authors = demo.Authors.Select((slug, i) => new ArticleAuthor { Author = authors[slug], Position = i }).ToList(),
                Tags = demo.Tags.Select(slug => new ArticleTag { Tag = tags[slug] }).ToList(),
                Corrections = (demo.Corrections ?? []).Select(c => new Correction { At = published.AddHours(c.AfterHours), Text = c.Text }).ToList(),
            };
            db.Articles.Add(article);
            articles.Add((demo, article));
        }
        // Ids first: bodies point to images and other articles by id.
        await db.SaveChangesAsync(cancellationToken);

        var ids = articles.ToDictionary(a => a.Article.Slug, a => a.Article.Id);
        foreach (var (demo, article) in articles)
        {
            var blocks = new List<Block>();
            foreach (var (element, i) in demo.Blocks.Select((b, i) => (b, i)))
            {
                blocks.Add(await ToBlockAsync(element, demo.Slug, i, ids, article.PublishedAt ?? now, cancellationToken));
            }
            article.Body = ArticleBody.Of([.. blocks]).ToJson();
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        KiosqueDb.NotifyChangesLogged();
        LogSeeded(logger, articles.Count, sections.Count, authors.Count);
        return true;
    }

    private async Task<Block> ToBlockAsync(JsonElement element, string slug, int index, Dictionary<string, int> ids, DateTime at, CancellationToken cancellationToken)
    {
        var type = element.GetProperty("type").GetString();
        switch (type)
        {
            case "image":
                var image = element.Deserialize<DemoImage>(ArticleBody.Json)!;
                var stored = await SaveImageAsync($"demo/{slug}-{index}.jpg", 1200, 800, image.Hue, image.Caption, image.Credit, image.Alt, at, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return new ImageBlock(stored.Id);
            case "readAlso":
                return new ReadAlsoBlock(ids[element.GetProperty("slug").GetString()!]);
            default:
                var block = element.Deserialize<Block>(ArticleBody.Json)!;
                return block switch
                {
                    ParagraphBlock p => p with { Text = InlineMarkup.Sanitize(p.Text) },
                    ListBlock l => l with { Items = l.Items.Select(InlineMarkup.Sanitize).ToList() },
                    _ => block,
                };
        }
    }

    private async Task<MediaAsset> SaveImageAsync(string fileName, int width, int height, int hue, string caption, string credit, string alt, DateTime at, CancellationToken cancellationToken)
    {
        // Through the same ingest as an upload: the demo's pictures get renditions like any other.
        using var bytes = new MemoryStream(DemoImages.Jpeg(width, height, hue, StableSeed(fileName)));
        var prepared = await ingest.PrepareAsync(bytes, new MediaUpload(Path.GetFileName(fileName), credit, caption, alt), cancellationToken);
        var item = prepared.Asset ?? throw new InvalidOperationException($"Demo picture {fileName}: {prepared.Error}");
        item.CreatedAt = at;
        db.Media.Add(item);
        return item;
    }

    [LoggerMessage(LogLevel.Information, "The database already has content: the demo newsroom is not seeded.")]
    private static partial void LogNotEmpty(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Demo newsroom seeded: {Articles} articles, {Sections} sections, {Authors} authors.")]
    private static partial void LogSeeded(ILogger logger, int articles, int sections, int authors);

    // string.GetHashCode changes between runs; the same file must get the same picture.
    private static int StableSeed(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));

    public static DemoContent Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Kiosque.Demo.newsroom.json")
            ?? throw new InvalidOperationException("The demo content is missing from the build.");
        return JsonSerializer.Deserialize<DemoContent>(stream, ArticleBody.Json)!;
    }
}

public sealed record DemoContent(List<DemoSection> Sections, List<DemoAuthor> Authors, List<DemoTag> Tags, List<DemoArticle> Articles);

public sealed record DemoSection(string Slug, string Name, string Description);

public sealed record DemoAuthor(string Slug, string Name, string Bio);

public sealed record DemoTag(string Slug, string Name);

public sealed record DemoImage(string Caption, string Credit, string Alt, int Hue);

public sealed record DemoCorrection(double AfterHours, string Text);

public sealed record DemoArticle(
    string Slug,
    string Section,
    List<string> Tags,
    List<string> Authors,
    string Kicker,
    string Headline,
    string Standfirst,
    double AgeHours,
    double? UpdatedAfterHours,
    string? SeoTitle,
    string? SeoDescription,
    DemoImage Hero,
    List<DemoCorrection>? Corrections,
    List<JsonElement> Blocks,
    string? Status);
