using Kiosque.Content;
using Kiosque.Data;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// Builds content a test owns: every slug carries a fresh suffix, so tests share a site without
/// seeing each other's articles, whatever order they run in.
/// </summary>
public sealed class TestContent
{
    private static int _counter;
    private readonly string _suffix = Interlocked.Increment(ref _counter) + "-" + Guid.NewGuid().ToString("N")[..6];

    public static readonly DateTime Now = DateTime.UtcNow;

    private int _made;

    /// <summary>A slug no other test, and no other call in this test, has.</summary>
    public string Unique(string name) => $"{name}-{_suffix}-{Interlocked.Increment(ref _made)}";

    public Section Section(string name = "Rubrique") => new() { Slug = Unique("rubrique"), Name = $"{name} {_suffix}", Description = "Une rubrique de test." };

    public Author Author(string name = "Camille Test") => new() { Slug = Unique(Kiosque.Content.Slug.From(name)), Name = name, Bio = $"Biographie de {name}." };

    public Tag Tag(string name = "Thème") => new() { Slug = Unique(Kiosque.Content.Slug.From(name)), Name = $"{name} {_suffix}" };

    public Article Article(Section section, string headline, DateTime? publishedAt = null, ArticleStatus status = ArticleStatus.Published, Author[]? authors = null, Tag[]? tags = null, ArticleBody? body = null)
    {
        var published = publishedAt ?? Now.AddHours(-1);
        return new Article
        {
            Slug = Unique(Kiosque.Content.Slug.From(headline, 40)),
            Kicker = "Surtitre",
            Headline = headline,
            Standfirst = $"Chapô de « {headline} ».",
            Section = section,
            Status = status,
            PublishedAt = status == ArticleStatus.Draft ? null : published,
            CreatedAt = published,
            UpdatedAt = published,
            Body = (body ?? ArticleBody.Of(new ParagraphBlock("Premier paragraphe."))).ToJson(),
            Authors = (authors ?? []).Select((a, i) => new ArticleAuthor { Author = a, Position = i }).ToList(),
            Tags = (tags ?? []).Select(t => new ArticleTag { Tag = t }).ToList(),
        };
    }

    /// <summary>Saves new entities; ones saved earlier (their id is set) are only referred to.</summary>
    public static async Task SaveAsync(KiosqueDb db, params object[] entities)
    {
        foreach (var entity in entities)
        {
            db.ChangeTracker.TrackGraph(entity, node => node.Entry.State = node.Entry.IsKeySet ? Microsoft.EntityFrameworkCore.EntityState.Unchanged : Microsoft.EntityFrameworkCore.EntityState.Added);
        }
        await db.SaveChangesAsync();
    }
}
