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
        var pictures = await PreparePicturesAsync(content, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var sections = content.Sections.Select((s, i) => new Section { Slug = s.Slug, Name = s.Name, Description = s.Description, Position = i })
            .ToDictionary(s => s.Slug);
        var tags = content.Tags.Select(t => new Tag { Slug = t.Slug, Name = t.Name }).ToDictionary(t => t.Slug);
        var authors = new Dictionary<string, Author>();
        foreach (var a in content.Authors)
        {
            var photo = UsePicture(pictures, PortraitName(a), now);
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
            var hero = UsePicture(pictures, HeroName(demo), published);
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
                Coverage = Enum.TryParse<Coverage>(demo.Coverage, ignoreCase: true, out var coverage) ? coverage : Coverage.None,
            };
            if (article.Coverage != Coverage.None)
            {
                article.CoverageStartedAt = published;
                article.CoverageEndedAt = article.Coverage == Coverage.Ended ? now : null;
            }
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
                blocks.Add(await ToBlockAsync(element, demo.Slug, i, ids, pictures, article.PublishedAt ?? now, cancellationToken));
            }
            article.Body = ArticleBody.Of([.. blocks]).ToJson();
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (demo, article) in articles.Where(a => a.Demo.Entries is { Count: > 0 }))
        {
            await AddLiveEntriesAsync(demo, article, authors, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        // Readers see the published pieces; the draft and the unpublished piece are for trying the
        // newsroom. Counted apart, so the console and the README speak of the same number.
        var publishedCount = articles.Count(a => a.Article.Status == ArticleStatus.Published);
        LogSeeded(logger, publishedCount, articles.Count - publishedCount, sections.Count, authors.Count);
        return true;
    }

    private async Task<Block> ToBlockAsync(JsonElement element, string slug, int index, Dictionary<string, int> ids, Dictionary<string, MediaAsset> pictures, DateTime at, CancellationToken cancellationToken)
    {
        var type = element.GetProperty("type").GetString();
        switch (type)
        {
            case "image":
                var stored = UsePicture(pictures, BodyImageName(slug, index), at);
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

    /// <summary>A live page's entries, one save each so their ids follow the order they were posted in.</summary>
    private async Task AddLiveEntriesAsync(DemoArticle demo, Article article, Dictionary<string, Author> authors, DateTime now, CancellationToken cancellationToken)
    {
        var start = article.CoverageStartedAt ?? now;
        foreach (var entry in demo.Entries!.OrderBy(e => e.AfterMinutes))
        {
            var author = authors[entry.Author];
            var blocks = new List<Block>();
            foreach (var element in entry.Blocks)
            {
                blocks.Add(await ToBlockAsync(element, demo.Slug, -1, [], [], start, cancellationToken));
            }
            db.LiveEntries.Add(new LiveEntry
            {
                ArticleId = article.Id,
                PostedAt = start.AddMinutes(entry.AfterMinutes),
                EditedAt = entry.EditedAfterMinutes is double edited ? start.AddMinutes(edited) : null,
                AuthorId = author.Id,
                AuthorName = author.Name,
                Title = entry.Title ?? "",
                Body = ArticleBody.Of([.. blocks]).ToJson(),
                KeyEvent = entry.Key,
                Pinned = entry.Pinned,
                CorrectionNote = entry.Correction,
                DeletedAt = entry.Deleted is { } deleted ? start.AddMinutes(deleted.AfterMinutes) : null,
                DeletionNote = entry.Deleted?.Note,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private sealed record PictureSpec(string FileName, int Width, int Height, int Hue, string Caption, string Credit, string Alt);

    private static string PortraitName(DemoAuthor author) => $"demo/auteur-{author.Slug}.jpg";

    private static string HeroName(DemoArticle article) => $"demo/{article.Slug}.jpg";

    private static string BodyImageName(string slug, int index) => $"demo/{slug}-{index}.jpg";

    /// <summary>
    /// Every picture of the demo, made and taken in through the same ingest as an upload (so they get
    /// renditions like any other), before the transaction. They are most of the seeding's work, so
    /// they are made on every core at once.
    /// </summary>
    private async Task<Dictionary<string, MediaAsset>> PreparePicturesAsync(DemoContent content, CancellationToken cancellationToken)
    {
        var specs = content.Authors.Select((a, i) => new PictureSpec(PortraitName(a), PortraitSize, PortraitSize, (i * 47) % 360, a.Name, "Le Courrier du Delta", $"Portrait de {a.Name}")).ToList();
        foreach (var demo in content.Articles)
        {
            specs.Add(new PictureSpec(HeroName(demo), HeroWidth, HeroHeight, demo.Hero.Hue, demo.Hero.Caption, demo.Hero.Credit, demo.Hero.Alt));
            foreach (var (element, i) in demo.Blocks.Select((b, i) => (b, i)).Where(b => b.b.GetProperty("type").GetString() == "image"))
            {
                var image = element.Deserialize<DemoImage>(ArticleBody.Json)!;
                specs.Add(new PictureSpec(BodyImageName(demo.Slug, i), 1200, 800, image.Hue, image.Caption, image.Credit, image.Alt));
            }
        }
        var prepared = new System.Collections.Concurrent.ConcurrentDictionary<string, MediaAsset>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(specs, parallel, async (spec, token) =>
        {
            using var bytes = new MemoryStream(DemoImages.Jpeg(spec.Width, spec.Height, spec.Hue, StableSeed(spec.FileName)));
            var result = await ingest.PrepareAsync(bytes, new MediaUpload(Path.GetFileName(spec.FileName), spec.Credit, spec.Caption, spec.Alt), token);
            prepared[spec.FileName] = result.Asset ?? throw new InvalidOperationException($"Demo picture {spec.FileName}: {result.Error}");
        });
        return new Dictionary<string, MediaAsset>(prepared);
    }

    private MediaAsset UsePicture(Dictionary<string, MediaAsset> pictures, string fileName, DateTime at)
    {
        var item = pictures[fileName];
        item.CreatedAt = at;
        db.Media.Add(item);
        return item;
    }

    [LoggerMessage(LogLevel.Information, "The database already has content: the demo newsroom is not seeded.")]
    private static partial void LogNotEmpty(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Demo newsroom seeded: {Published} published articles (and {NewsroomOnly} in the newsroom only: a draft, an unpublished piece), {Sections} sections, {Authors} authors.")]
    private static partial void LogSeeded(ILogger logger, int published, int newsroomOnly, int sections, int authors);

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
    string? Status,
    string? Coverage = null,
    List<DemoLiveEntry>? Entries = null);

/// <summary>An entry of a demo live page, timed from the start of its coverage.</summary>
public sealed record DemoLiveEntry(double AfterMinutes, string Author, List<JsonElement> Blocks, string? Title = null, bool Key = false, bool Pinned = false,
    string? Correction = null, double? EditedAfterMinutes = null, DemoDeletion? Deleted = null);

public sealed record DemoDeletion(double AfterMinutes, string Note);
