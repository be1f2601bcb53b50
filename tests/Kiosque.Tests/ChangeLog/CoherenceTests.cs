using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Kiosque.Tests.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.ChangeLog;

/// <summary>
/// The page cache never disagrees with the database, whatever the newsroom does: a seeded random
/// sequence of newsroom operations (through the same services the newsroom's pages call), with
/// random public pages requested in between so the cache fills. After every step, every page
/// requested so far must be, on the caching node, exactly what a second node with no page cache
/// renders for the same address. A failure names its seed and step, so it replays.
/// The suite runs a short sequence; <c>scripts/coherence.sh</c> runs long ones
/// (<c>KIOSQUE_COHERENCE_STEPS</c>, <c>KIOSQUE_COHERENCE_SEED</c>).
/// </summary>
public abstract partial class CoherenceTests(ClockSite site)
{
    private const int DefaultSteps = 40;

    private readonly TestContent _content = new();

    [Fact]
    public async Task Every_cached_page_equals_a_fresh_render_after_every_newsroom_operation()
    {
        site.SkipIfUnavailable();
        var steps = int.TryParse(Environment.GetEnvironmentVariable("KIOSQUE_COHERENCE_STEPS"), out var s) ? s : DefaultSteps;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("KIOSQUE_COHERENCE_SEED"), out var given) ? given : 20261202;
        await using var fresh = new SecondNode(site, site.Clock, new Dictionary<string, string?> { ["Kiosque:OutputCache"] = "false" });
        using var cachedReader = site.Reader();
        using var freshReader = fresh.Reader();
        var world = await World.CreateAsync(site, _content, new Random(seed));
        var requested = new HashSet<string>(StringComparer.Ordinal);
        var log = new StringBuilder();

        for (var step = 1; step <= steps; step++)
        {
            for (var i = world.Random.Next(1, 5); i > 0; i--)
            {
                var path = world.RandomPage();
                requested.Add(path);
                using var _ = await cachedReader.GetAsync(path);
            }
            var operation = await world.StepAsync();
            log.Append(CultureInfo.InvariantCulture, $"{step}. {operation}\n");
            await site.WaitForChangeFeedAsync();
            await fresh.WaitForChangeFeedAsync();
            // Both indexes have applied the whole log, so both nodes' related lists see the same articles.
            await site.WaitForSearchIndexAsync(TimeSpan.FromSeconds(30));
            await fresh.WaitForSearchIndexAsync(TimeSpan.FromSeconds(30));
            foreach (var path in requested.Order(StringComparer.Ordinal))
            {
                var (cachedStatus, cachedBody) = await ReadAsync(cachedReader, path);
                var (freshStatus, freshBody) = await ReadAsync(freshReader, path);
                if (cachedStatus != freshStatus || cachedBody != freshBody)
                {
                    Assert.Fail($"Seed {seed}, step {step}: {path} from the cache ({(int)cachedStatus}) differs from a fresh render ({(int)freshStatus}).\n"
                        + $"First difference: {FirstDifference(cachedBody, freshBody)}\nOperations:\n{log}");
                }
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        // Related pieces are chosen when the page renders: a newer piece that would now rank
        // among them does not evict every article page (docs/architecture.md, "The change log").
        // What they show of a piece (headline, picture, byline) is tagged and does evict.
        body = RelatedBlock().Replace(body, "<section class=\"related\"/>");
        // A feed with no entry is dated when it is rendered (Atom requires a date; there is no
        // entry to take it from): that date is the only thing a fresh render may change.
        if (!body.Contains("<entry>", StringComparison.Ordinal) && !body.Contains("<item>", StringComparison.Ordinal))
        {
            body = EmptyFeedDate().Replace(body, "<$1/>");
        }
        return (response.StatusCode, body);
    }

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }
        var from = Math.Max(0, i - 120);
        return $"cached «{a.Substring(from, Math.Min(240, a.Length - from))}» fresh «{b.Substring(from, Math.Min(240, b.Length - from))}»";
    }

    [GeneratedRegex("<section class=\"related\".*?</section>", RegexOptions.Singleline)]
    private static partial Regex RelatedBlock();

    [GeneratedRegex("<(updated|lastBuildDate)>[^<]*</(?:updated|lastBuildDate)>")]
    private static partial Regex EmptyFeedDate();

    /// <summary>The newsroom and the content the random operations work on.</summary>
    private sealed class World
    {
        private readonly ClockSite _site;
        private readonly TestContent _content;
        private readonly List<Section> _sections = [];
        private readonly List<Tag> _tags = [];
        private readonly List<Author> _authors = [];
        private readonly List<int> _articles = [];
        private readonly Dictionary<int, string> _slugs = [];
        private Staff _editor = null!;
        private int _made;

        private World(ClockSite site, TestContent content, Random random) => (_site, _content, Random) = (site, content, random);

        public Random Random { get; }

        public static async Task<World> CreateAsync(ClockSite site, TestContent content, Random random)
        {
            var world = new World(site, content, random);
            var user = await site.CreateUserAsync(Roles.Editor, name: "Rédaction aléatoire");
            world._editor = new Staff(user.Id, "Rédaction aléatoire", IsEditor: true, IsAdmin: false);
            for (var i = 0; i < 3; i++)
            {
                world._sections.Add(content.Section($"Rubrique {i}"));
                world._authors.Add(content.Author($"Autrice {i}"));
            }
            for (var i = 0; i < 4; i++)
            {
                world._tags.Add(content.Tag($"Thème {i}"));
            }
            await site.WithDbAsync(db => TestContent.SaveAsync(db, [.. world._sections, .. world._tags, .. world._authors]));
            for (var i = 0; i < 6; i++)
            {
                await world.CreateAsync(publish: i % 2 == 0);
            }
            return world;
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

        public string RandomPage()
        {
            string Article() => $"/article/{_slugs[Pick(_articles)]}";
            return Random.Next(12) switch
            {
                0 => "/",
                1 => "/?page=2",
                2 => $"/rubrique/{Pick(_sections).Slug}",
                3 => $"/theme/{Pick(_tags).Slug}",
                4 => $"/auteur/{Pick(_authors).Slug}",
                5 => "/rss.xml",
                6 => $"/rubrique/{Pick(_sections).Slug}/atom.xml",
                7 => $"/theme/{Pick(_tags).Slug}/feed.json",
                _ => Article(),
            };
        }

        private async Task<int> CreateAsync(bool publish)
        {
            var number = ++_made;
            var article = _content.Article(Pick(_sections), $"Dépêche {number}", status: ArticleStatus.Draft,
                authors: [Pick(_authors)], tags: [.. _tags.Where(_ => Random.Next(3) == 0).Take(2)]);
            article.Standfirst = $"Chapô de la dépêche {number}.";
            await _site.WithDbAsync(db => TestContent.SaveAsync(db, article));
            _articles.Add(article.Id);
            _slugs[article.Id] = article.Slug;
            if (publish)
            {
                await StepAsync(article.Id, WorkflowAction.Publish);
            }
            return article.Id;
        }

        private async Task<WorkflowResult> StepAsync(int id, WorkflowAction action, DateTime? at = null)
        {
            await using var scope = _site.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            var article = await db.Articles.FirstAsync(a => a.Id == id);
            return (await scope.ServiceProvider.GetRequiredService<ArticleWorkflow>().TakeAsync(article, action, _editor, at, CancellationToken.None)).Result;
        }

        /// <summary>Edits an article as the editor's form would: fields changed, the rest as they were.</summary>
        private async Task<string> EditAsync(int id)
        {
            await using var scope = _site.Services.CreateAsyncScope();
            var editor = scope.ServiceProvider.GetRequiredService<ArticleEditor>();
            var article = (await editor.LoadAsync(id, CancellationToken.None))!;
            var what = Random.Next(5);
            var headline = what == 0 ? $"{article.Headline} (mise à jour {++_made})" : article.Headline;
            var slug = what == 1 ? _content.Unique("depeche-renommee") : article.Slug;
            var section = what == 2 ? Pick(_sections).Id : article.SectionId;
            var tags = what == 3 ? _tags.Where(_ => Random.Next(2) == 0).Select(t => t.Id).ToList() : article.Tags.Select(t => t.TagId).ToList();
            var authors = what == 4 ? [Pick(_authors).Id] : article.Authors.OrderBy(a => a.Position).Select(a => a.AuthorId).ToList();
            var body = EditorJsBody.ToEditorJs(ArticleBody.Parse(article.Body)).ToJsonString();
            var input = new ArticleInput(article.Version, article.Kicker, headline, article.Standfirst, slug, section, article.HeroMediaId, authors, tags, null, null, body);
            var outcome = await editor.SaveAsync(article, input, _editor, "save", CancellationToken.None);
            Assert.True(outcome.Saved, string.Join(' ', outcome.Errors));
            _slugs[id] = article.Slug;
            return $"edit #{id} ({new[] { "headline", "slug", "section", "tags", "author" }[what]})";
        }

        public async Task<string> StepAsync()
        {
            var id = Pick(_articles);
            switch (Random.Next(11))
            {
                case 0:
                    return $"create #{await CreateAsync(publish: Random.Next(2) == 0)}";
                case 1:
                    return $"publish #{id}: {await StepAsync(id, WorkflowAction.Publish)}";
                case 2:
                    return $"unpublish #{id}: {await StepAsync(id, WorkflowAction.Unpublish)}";
                case 3:
                    return $"back to draft #{id}: {await StepAsync(id, WorkflowAction.Draft)}";
                case 4:
                    {
                        var at = _site.Clock.GetUtcNow().UtcDateTime.AddMinutes(1);
                        var scheduled = await StepAsync(id, WorkflowAction.Schedule, at);
                        _site.Clock.Advance(TimeSpan.FromMinutes(2));
                        return $"schedule #{id}: {scheduled}, scheduler published {await _site.PublishDueAsync()}";
                    }
                case 5:
                case 6:
                    return await EditAsync(id);
                case 7:
                    await _site.WithDbAsync(async db =>
                    {
                        var article = await db.Articles.FirstAsync(a => a.Id == id);
                        if (article.PublishedAt is not null)
                        {
                            db.Corrections.Add(new Correction { ArticleId = id, At = _site.Clock.GetUtcNow().UtcDateTime, Text = $"Rectificatif {++_made}." });
                            article.UpdatedAt = _site.Clock.GetUtcNow().UtcDateTime;
                            await db.SaveChangesAsync();
                        }
                    });
                    return $"correct #{id}";
                case 8:
                    {
                        var (kind, name) = await RenameAsync();
                        return $"rename {kind} to {name}";
                    }
                case 9:
                    await _site.WithDbAsync(async db =>
                    {
                        var published = await db.Published().Select(a => a.Id).ToListAsync();
                        db.HomeSlots.RemoveRange(await db.HomeSlots.ToListAsync());
                        await db.SaveChangesAsync();
                        if (published.Count > 0 && Random.Next(3) > 0)
                        {
                            db.HomeSlots.Add(new HomeSlot { Position = 0, ArticleId = Pick(published) });
                            await db.SaveChangesAsync();
                        }
                    });
                    return "curate home";
                default:
                    return $"submit #{id}: {await StepAsync(id, WorkflowAction.Submit)}";
            }
        }

        private async Task<(string Kind, string Name)> RenameAsync()
        {
            var name = $"Nom {++_made}";
            var kind = Random.Next(3);
            await _site.WithDbAsync(async db =>
            {
                switch (kind)
                {
                    case 0:
                        (await db.Sections.FirstAsync(x => x.Id == Pick(_sections).Id)).Name = name;
                        break;
                    case 1:
                        (await db.Tags.FirstAsync(x => x.Id == Pick(_tags).Id)).Name = name;
                        break;
                    default:
                        (await db.Authors.FirstAsync(x => x.Id == Pick(_authors).Id)).Name = name;
                        break;
                }
                await db.SaveChangesAsync();
            });
            return (new[] { "section", "tag", "author" }[kind], name);
        }
    }
}

public sealed class CoherenceSqliteTests(CoherenceSqliteTests.Site site) : CoherenceTests(site), IClassFixture<CoherenceSqliteTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:PageCacheLifetime"] = "8640000", ["Kiosque:PageSize"] = "3" });
}

public sealed class CoherencePostgresTests(CoherencePostgresTests.Site site) : CoherenceTests(site), IClassFixture<CoherencePostgresTests.Site>
{
    public sealed class Site() : ClockSite(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Kiosque:PageCacheLifetime"] = "8640000", ["Kiosque:PageSize"] = "3" });
}
