using System.IO.Compression;
using System.Net;
using System.Text;
using AngleSharp.Dom;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Caching;

/// <summary>
/// The page cache as readers meet it: pages come from the cache until a logged change evicts
/// them, then every page that showed the article is fresh on the next request; validators and
/// 304s; compression by negotiation; nothing cached for a signed-in person or with a cookie.
/// Changes that bypass the change log (ExecuteUpdate) reveal whether a page came from the cache.
/// </summary>
public abstract class PageCacheTests(PageCacheTests.CacheSite site)
{
    private readonly TestContent _content = new();

    /// <summary>A site with two articles a page, so pagination is cheap to reach, and a test hook that sets a cookie.</summary>
    public class CacheSite(DatabaseKind kind) : KiosqueFactory(kind, new Dictionary<string, string?> { ["Kiosque:PageSize"] = "2" })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, SetCookieOnRequest>());
        }
    }

    /// <summary>Stands for any part of the app that sets a cookie: it does so when the request asks.</summary>
    private sealed class SetCookieOnRequest : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey("X-Test-Set-Cookie"))
                {
                    context.Response.Headers.SetCookie = "reader=1; Path=/";
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }

    private static Task<int> SilentlyRename(KiosqueDb db, Article article, string headline) =>
        db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Headline, headline));

    private static async Task<string> HtmlAsync(HttpClient client, string path, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<(Section Section, Tag Tag, Author Author)> ListsAsync()
    {
        var section = _content.Section("Politique");
        var tag = _content.Tag("Élections");
        var author = _content.Author("Lina Marsh");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section, tag, author));
        return (section, tag, author);
    }

    [Fact]
    public async Task A_page_comes_from_the_cache_until_a_logged_change_evicts_it()
    {
        using var client = site.Reader();
        var article = _content.Article(_content.Section(), "Le barrage tient bon");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        var path = $"/article/{article.Slug}";
        Assert.Contains("Le barrage tient bon", await HtmlAsync(client, path));

        // Behind the log's back: the cached page does not change.
        await site.WithDbAsync(db => SilentlyRename(db, article, "Le barrage a cédé"));
        Assert.Contains("Le barrage tient bon", await HtmlAsync(client, $"{path}?utm_source=mastodon"));

        // A correction goes through the log: fresh on the next request.
        await site.WithDbAsync(async db =>
        {
            db.Corrections.Add(new Correction { ArticleId = article.Id, At = DateTime.UtcNow, Text = "Le barrage a cédé dans la nuit." });
            await db.SaveChangesAsync();
        });
        var html = await HtmlAsync(client, path);
        Assert.Contains("Le barrage a cédé", html);
        Assert.Contains("Le barrage a cédé dans la nuit.", html);
    }

    [Fact]
    public async Task Publishing_refreshes_the_home_page_its_lists_and_the_related_articles()
    {
        using var client = site.Reader();
        var (section, tag, author) = await ListsAsync();
        var older = _content.Article(section, "Le scrutin est avancé", TestContent.Now.AddHours(-3), authors: [author], tags: [tag]);
        var draft = _content.Article(section, "Les résultats du premier tour", status: ArticleStatus.Draft, authors: [author], tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, older, draft));
        string[] pages = ["/", $"/rubrique/{section.Slug}", $"/theme/{tag.Slug}", $"/auteur/{author.Slug}", $"/article/{older.Slug}"];
        foreach (var path in pages)
        {
            Assert.DoesNotContain(draft.Headline, await HtmlAsync(client, path));
        }
        await HtmlAsync(client, $"/article/{draft.Slug}", 404);

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == draft.Id);
            stored.Status = ArticleStatus.Published;
            stored.PublishedAt = stored.UpdatedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        });

        foreach (var path in pages)
        {
            Assert.Contains(draft.Headline, await HtmlAsync(client, path));
        }
        Assert.Contains(draft.Headline, await HtmlAsync(client, $"/article/{draft.Slug}"));
    }

    [Fact]
    public async Task Correcting_refreshes_every_page_that_showed_the_article()
    {
        using var client = site.Reader();
        var (section, tag, author) = await ListsAsync();
        // The newest story of the site, so the home page (two a page here) shows it.
        var story = _content.Article(section, "Le ministre démissionne", DateTime.UtcNow, authors: [author], tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var pointing = _content.Article(_content.Section(), "Analyse de la crise", TestContent.Now.AddHours(-2), body: ArticleBody.Of(new ParagraphBlock("Contexte."), new ReadAlsoBlock(story.Id)));
        var neighbour = _content.Article(section, "Un remaniement attendu", TestContent.Now.AddHours(-1), tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, pointing, neighbour));
        string[] pages = ["/", $"/rubrique/{section.Slug}", $"/theme/{tag.Slug}", $"/auteur/{author.Slug}", $"/article/{story.Slug}", $"/article/{pointing.Slug}", $"/article/{neighbour.Slug}"];
        foreach (var path in pages)
        {
            Assert.Contains("Le ministre démissionne", await HtmlAsync(client, path));
        }

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == story.Id);
            stored.Headline = "Le ministre ne démissionne pas";
            stored.UpdatedAt = DateTime.UtcNow;
            db.Corrections.Add(new Correction { ArticleId = story.Id, At = DateTime.UtcNow, Text = "Le ministre a démenti." });
            await db.SaveChangesAsync();
        });

        foreach (var path in pages)
        {
            var html = await HtmlAsync(client, path);
            Assert.Contains("Le ministre ne démissionne pas", html);
            Assert.DoesNotContain("Le ministre démissionne<", html);
        }
    }

    [Fact]
    public async Task Unpublishing_takes_the_article_off_every_page_and_shifts_the_pages_after_it()
    {
        using var client = site.Reader();
        var (section, tag, author) = await ListsAsync();
        // Two a page: [story, second] then [third]; without the story the section fits on one page.
        var third = _content.Article(section, "Troisième dépêche", TestContent.Now.AddHours(-3), tags: [tag]);
        var second = _content.Article(section, "Deuxième dépêche", TestContent.Now.AddHours(-2), tags: [tag]);
        var story = _content.Article(section, "Une rumeur infondée", TestContent.Now.AddHours(-1), authors: [author], tags: [tag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, third, second, story));
        var pointing = _content.Article(_content.Section(), "Ce que l'on sait", TestContent.Now.AddHours(-4), body: ArticleBody.Of(new ReadAlsoBlock(story.Id)));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, pointing));
        string[] showing = [$"/rubrique/{section.Slug}", $"/theme/{tag.Slug}", $"/auteur/{author.Slug}", $"/article/{story.Slug}", $"/article/{second.Slug}", $"/article/{pointing.Slug}"];
        foreach (var path in showing)
        {
            Assert.Contains("Une rumeur infondée", await HtmlAsync(client, path));
        }
        var pageTwo = await HtmlAsync(client, $"/rubrique/{section.Slug}?page=2");
        Assert.Contains("Troisième dépêche", pageTwo);

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == story.Id);
            stored.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });

        await HtmlAsync(client, $"/article/{story.Slug}", 404);
        foreach (var path in showing.Where(p => p != $"/article/{story.Slug}"))
        {
            Assert.DoesNotContain("Une rumeur infondée", await HtmlAsync(client, path));
        }
        // Page 2 never showed the story, but it was in its list: it is gone now.
        await HtmlAsync(client, $"/rubrique/{section.Slug}?page=2", 404);
    }

    [Fact]
    public async Task Moving_an_article_refreshes_the_lists_it_left_as_well_as_those_it_joins()
    {
        using var client = site.Reader();
        var (from, oldTag, _) = await ListsAsync();
        var (to, newTag, _) = await ListsAsync();
        var last = _content.Article(from, "Dernière de la rubrique", TestContent.Now.AddHours(-3), tags: [oldTag]);
        var middle = _content.Article(from, "Milieu de la rubrique", TestContent.Now.AddHours(-2), tags: [oldTag]);
        var story = _content.Article(from, "Un article mal classé", TestContent.Now.AddHours(-1), tags: [oldTag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, last, middle, story));
        Assert.Contains("Dernière de la rubrique", await HtmlAsync(client, $"/rubrique/{from.Slug}?page=2"));
        Assert.Contains("Dernière de la rubrique", await HtmlAsync(client, $"/theme/{oldTag.Slug}?page=2"));
        Assert.DoesNotContain("Un article mal classé", await HtmlAsync(client, $"/rubrique/{to.Slug}"));
        Assert.DoesNotContain("Un article mal classé", await HtmlAsync(client, $"/theme/{newTag.Slug}"));

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == story.Id);
            stored.SectionId = to.Id;
            stored.Tags.Clear();
            stored.Tags.Add(new ArticleTag { TagId = newTag.Id });
            await db.SaveChangesAsync();
        });

        await HtmlAsync(client, $"/rubrique/{from.Slug}?page=2", 404);
        await HtmlAsync(client, $"/theme/{oldTag.Slug}?page=2", 404);
        Assert.Contains("Un article mal classé", await HtmlAsync(client, $"/rubrique/{to.Slug}"));
        Assert.Contains("Un article mal classé", await HtmlAsync(client, $"/theme/{newTag.Slug}"));
    }

    [Fact]
    public async Task Editing_a_picture_refreshes_the_article_that_shows_it()
    {
        using var client = site.Reader();
        var section = _content.Section("Environnement");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, section));
        var photo = new MediaAsset { FileName = "test/cache-hero.jpg", Width = 1600, Height = 900, Caption = "La digue au petit matin.", Credit = "Noor Adel / Collectif Sud", Alt = "Une digue", CreatedAt = TestContent.Now };
        var story = _content.Article(section, "La digue renforcée avant l'hiver", DateTime.UtcNow);
        story.HeroMedia = photo;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";
        var before = await HtmlAsync(client, path);
        Assert.Contains("Noor Adel / Collectif Sud", before);
        Assert.Contains("alt=\"Une digue\"", before);

        // An editor corrects the credit and the alt text in the media library.
        await site.WithDbAsync(async db =>
        {
            var stored = await db.Media.SingleAsync(m => m.Id == photo.Id);
            stored.Credit = "Noor Adel / Agence Delta";
            stored.Alt = "Une digue de pierres sous la pluie";
            await db.SaveChangesAsync();
        });

        var after = await HtmlAsync(client, path);
        Assert.Contains("Noor Adel / Agence Delta", after);
        Assert.DoesNotContain("Collectif Sud", after);
        Assert.Contains("alt=\"Une digue de pierres sous la pluie\"", after);
    }

    [Fact]
    public async Task A_slug_change_moves_every_link_and_the_old_address_redirects()
    {
        using var client = site.Reader();
        var (section, _, _) = await ListsAsync();
        var story = _content.Article(section, "Le pont rouvre", DateTime.UtcNow);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var pointing = _content.Article(_content.Section(), "Les travaux du pont", TestContent.Now.AddHours(-1), body: ArticleBody.Of(new ReadAlsoBlock(story.Id)));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, pointing));
        var oldPath = $"/article/{story.Slug}";
        string[] linking = ["/", $"/rubrique/{section.Slug}", $"/article/{pointing.Slug}"];
        foreach (var path in linking)
        {
            Assert.Contains($"href=\"{oldPath}\"", await HtmlAsync(client, path));
        }
        await HtmlAsync(client, oldPath);

        var newSlug = _content.Unique("le-pont-rouvre-mardi");
        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == story.Id);
            stored.Slug = newSlug;
            db.Redirects.Add(new Redirect { FromPath = oldPath, ToPath = $"/article/{newSlug}", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });

        foreach (var path in linking)
        {
            var html = await HtmlAsync(client, path);
            Assert.Contains($"href=\"/article/{newSlug}\"", html);
            Assert.DoesNotContain($"href=\"{oldPath}\"", html);
        }
        using var moved = await client.GetAsync(oldPath);
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal($"/article/{newSlug}", moved.Headers.Location!.OriginalString);
        Assert.Contains("Le pont rouvre", await HtmlAsync(client, $"/article/{newSlug}"));
    }

    [Fact]
    public async Task Validators_answer_304_until_the_page_changes()
    {
        using var client = site.Reader();
        var story = _content.Article(_content.Section(), "La crue recule");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";

        using var first = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        var lastModified = first.Content.Headers.LastModified!.Value;
        var cacheControl = first.Headers.CacheControl!;
        Assert.True(cacheControl.Public);
        Assert.InRange(cacheControl.MaxAge!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Contains("stale-while-revalidate", cacheControl.ToString());
        Assert.Contains("stale-if-error", cacheControl.ToString());
        Assert.Contains("Accept-Encoding", first.Headers.Vary);
        Assert.Contains($"article:{story.Id}", first.Headers.GetValues("Surrogate-Key").Single().Split(' '));
        Assert.Equal(first.Headers.GetValues("Surrogate-Key"), first.Headers.GetValues("xkey"));

        using (var again = await SendAsync(client, path, ("If-None-Match", etag.ToString())))
        {
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Equal(etag, again.Headers.ETag);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        }
        using (var since = await SendAsync(client, path, ("If-Modified-Since", lastModified.ToString("R"))))
        {
            Assert.Equal(HttpStatusCode.NotModified, since.StatusCode);
        }
        using (var other = await SendAsync(client, path, ("If-None-Match", "\"autre\"")))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        await site.WithDbAsync(async db =>
        {
            var stored = await db.Articles.SingleAsync(a => a.Id == story.Id);
            stored.Standfirst = "La décrue se confirme.";
            await db.SaveChangesAsync();
        });
        using var changed = await SendAsync(client, path, ("If-None-Match", etag.ToString()));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Contains("La décrue se confirme.", await changed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip;q=0.8", "gzip")]
    [InlineData("gzip;q=1, br;q=0.5", "gzip")]
    [InlineData("*", "br")]
    [InlineData("identity", "")]
    [InlineData("", "")]
    public async Task Compression_follows_the_client_s_accept_encoding(string acceptEncoding, string expected)
    {
        using var client = site.Reader();
        var story = _content.Article(_content.Section(), "Le vent tourne", body: ArticleBody.Of(Enumerable.Range(1, 20).Select(i => (Block)new ParagraphBlock($"Paragraphe {i} d'un long article sur le vent.")).ToArray()));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";
        var plain = await HtmlAsync(client, path);

        using var response = await SendAsync(client, path, acceptEncoding.Length == 0 ? default : ("Accept-Encoding", acceptEncoding));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, string.Join(",", response.Content.Headers.ContentEncoding));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Stream decoded = expected switch
        {
            "br" => new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress),
            "gzip" => new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress),
            _ => new MemoryStream(bytes),
        };
        using var reader = new StreamReader(decoded, Encoding.UTF8);
        Assert.Equal(plain, await reader.ReadToEndAsync());
        if (expected.Length > 0)
        {
            Assert.True(bytes.Length < Encoding.UTF8.GetByteCount(plain) / 2);
            Assert.EndsWith(expected == "br" ? "-br\"" : "-gz\"", response.Headers.ETag!.Tag);
        }
    }

    [Theory]
    [InlineData("Authorization", "Bearer jeton")]
    [InlineData("Cookie", "kiosque.newsroom=SESSION")]
    public async Task A_signed_in_person_is_never_served_nor_stored_in_the_cache(string header, string value)
    {
        if (value.Contains("SESSION", StringComparison.Ordinal))
        {
            // A real newsroom session, sent by hand to a reader page (browsers keep it to /newsroom).
            var user = await site.CreateUserAsync(Roles.Editor);
            using var browser = site.Browser();
            using var signedIn = await browser.SignInAsync(user.Email!, NewsroomSession.Password);
            value = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("kiosque.newsroom=", StringComparison.Ordinal));
        }
        using var client = site.Reader();
        var story = _content.Article(_content.Section(), "Réunion de rédaction");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";
        Assert.Contains("Réunion de rédaction", await HtmlAsync(client, path));
        await site.WithDbAsync(db => SilentlyRename(db, story, "Réunion reportée"));

        using var personal = await SendAsync(client, path, (header, value));

        Assert.Contains("Réunion reportée", await personal.Content.ReadAsStringAsync());
        Assert.True(personal.Headers.CacheControl!.Private);
        Assert.True(personal.Headers.CacheControl.NoStore);
        Assert.False(personal.Headers.Contains("Surrogate-Key"));
        Assert.Null(personal.Headers.ETag);
        // Nor did it replace what readers get.
        Assert.Contains("Réunion de rédaction", await HtmlAsync(client, path));
    }

    [Theory]
    [InlineData("kiosque.auth=xyz")]
    [InlineData(".AspNetCore.Identity.Application=abc123")]
    [InlineData("theme=sombre; kiosque.newsroom=pas-une-session")]
    public async Task A_cookie_that_opens_no_session_does_not_skip_the_cache(string cookie)
    {
        using var client = site.Reader();
        var story = _content.Article(_content.Section(), "Le pont rouvre");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";
        Assert.Contains("Le pont rouvre", await HtmlAsync(client, path));
        // Unique: the other cases' renamed pieces may show up among the related articles.
        var renamed = _content.Unique("Le pont reste fermé");
        await site.WithDbAsync(db => SilentlyRename(db, story, renamed));

        using var made = await SendAsync(client, path, ("Cookie", cookie));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.DoesNotContain(renamed, await made.Content.ReadAsStringAsync());
        Assert.True(made.Headers.CacheControl!.Public);
    }

    [Fact]
    public async Task Any_host_name_shares_the_public_site_s_entry()
    {
        using var client = site.Reader();
        var story = _content.Article(_content.Section(), "La digue est renforcée");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";
        Assert.Contains("La digue est renforcée", await HtmlAsync(client, path));
        var renamed = _content.Unique("La digue a lâché");
        await site.WithDbAsync(db => SilentlyRename(db, story, renamed));

        // Another Host header is not another page: links on it follow Kiosque:PublicUrl anyway.
        foreach (var host in new[] { "http://autre.example", "https://journal.test:8443", "https://127.0.0.1" })
        {
            var html = await HtmlAsync(client, host + path);
            Assert.DoesNotContain(renamed, html);
            Assert.Contains("https://journal.test/article/", html);
        }
    }

    [Fact]
    public async Task Page_numbers_have_one_address_each()
    {
        using var client = site.Reader();
        var (section, _, _) = await ListsAsync();
        var articles = Enumerable.Range(1, 3).Select(i => _content.Article(section, $"Brève {i}", publishedAt: DateTime.UtcNow.AddHours(-i))).ToArray();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, articles));
        var list = $"/rubrique/{section.Slug}";
        foreach (var (asked, canonical) in new[]
        {
            ("?page=01", list),
            ("?page=1", list),
            ("?page=0002", $"{list}?page=2"),
            ("?utm_source=lettre&page=002", $"{list}?page=2&utm_source=lettre"),
            ("", "/?page=2"),
        })
        {
            var from = asked.Length == 0 ? "/?page=02" : list + asked;
            using var response = await client.GetAsync(from);
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal(canonical, response.Headers.Location!.OriginalString);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{list}?page=2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(list)).StatusCode);
    }

    [Fact]
    public async Task A_response_that_sets_a_cookie_is_never_stored()
    {
        using var client = site.Reader();
        var story = _content.Article(_content.Section(), "Le marché ouvre");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, story));
        var path = $"/article/{story.Slug}";

        using var withCookie = await SendAsync(client, path, ("X-Test-Set-Cookie", "1"));
        Assert.True(withCookie.Headers.Contains("Set-Cookie"));
        Assert.True(withCookie.Headers.CacheControl!.NoStore);
        Assert.False(withCookie.Headers.Contains("Surrogate-Key"));

        await site.WithDbAsync(db => SilentlyRename(db, story, "Le marché ferme"));
        Assert.Contains("Le marché ferme", await HtmlAsync(client, path));
    }

    [Theory]
    [InlineData("/newsroom")]
    [InlineData("/newsroom/articles")]
    [InlineData("/api/admin/articles")]
    public async Task The_newsroom_and_the_admin_api_are_never_cached(string path)
    {
        using var client = site.Reader();
        using var response = await client.GetAsync(path);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Null(response.Headers.ETag);
        Assert.False(response.Headers.Contains("Surrogate-Key"));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (header.Name is not null)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        return await client.SendAsync(request);
    }
}

public sealed class PageCacheSqliteTests(PageCacheSqliteTests.Site site) : PageCacheTests(site), IClassFixture<PageCacheSqliteTests.Site>
{
    public sealed class Site() : CacheSite(DatabaseKind.Sqlite);
}

public sealed class PageCachePostgresTests(PageCachePostgresTests.Site site) : PageCacheTests(site), IClassFixture<PageCachePostgresTests.Site>
{
    public sealed class Site() : CacheSite(DatabaseKind.Postgres);
}
