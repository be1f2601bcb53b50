using System.Net;
using System.Text;
using System.Text.Json;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Kiosque.Tests.Infrastructure;
using Kiosque.Tests.Media;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Site;

/// <summary>The reader's side of a live page (« En direct »): the page, its stream and its polling fragment.</summary>
public abstract class LivePageTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    private async Task<Article> LivePageAsync(ArticleStatus status = ArticleStatus.Published)
    {
        var article = _content.Article(_content.Section(), "Manifestation à Ostreva : suivez la journée", status: status, body: ArticleBody.Of());
        article.Coverage = Coverage.Live;
        article.CoverageStartedAt = TestContent.Now.AddHours(-3);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return article;
    }

    private static LiveEntry Entry(Article page, string text, int minutesAgo, string title = "", bool keyEvent = false, bool pinned = false, params Block[] more) => new()
    {
        ArticleId = page.Id,
        PostedAt = TestContent.Now.AddMinutes(-minutesAgo),
        AuthorName = "Nadia Ferrant",
        Title = title,
        Body = ArticleBody.Of([new ParagraphBlock(text), .. more]).ToJson(),
        KeyEvent = keyEvent,
        Pinned = pinned,
    };

    private Task AddAsync(params LiveEntry[] entries) => site.WithDbAsync(async db =>
    {
        foreach (var entry in entries)
        {
            // One save each, as reporters post them: ids follow posting order.
            db.LiveEntries.Add(entry);
            await db.SaveChangesAsync();
        }
    });

    private Task UpdateAsync(int id, Action<LiveEntry> change) => site.WithDbAsync(async db =>
    {
        var entry = await db.LiveEntries.SingleAsync(e => e.Id == id);
        change(entry);
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task The_page_shows_the_pinned_entry_the_key_events_and_the_entries_newest_first_with_deletions_said()
    {
        var page = await LivePageAsync();
        var first = Entry(page, "Les premiers cortèges se forment place centrale.", 120, title: "Départ du cortège", keyEvent: true);
        var pinned = Entry(page, "Ce qu’il faut savoir : le parcours a été déclaré.", 110, title: "L’essentiel", pinned: true);
        var removed = Entry(page, "Une rumeur non vérifiée.", 100);
        var last = Entry(page, "La préfecture annonce 12 000 manifestants.", 10, title: "Chiffres officiels", keyEvent: true);
        await AddAsync(first, pinned, removed, last);
        await UpdateAsync(removed.Id, e =>
        {
            e.DeletedAt = TestContent.Now.AddMinutes(-50);
            e.DeletionNote = "Information non confirmée, retirée.";
        });

        using var reader = site.Reader();
        var document = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        Assert.Equal("Manifestation à Ostreva : suivez la journée", document.QuerySelector("h1").Text());
        Assert.Equal("En direct", document.QuerySelector(".live-badge").Text());
        var ids = document.QuerySelectorAll(".live-feed [data-entry]").Select(e => e.GetAttribute("data-entry")).ToList();
        Assert.Equal([last.Id.ToString(), removed.Id.ToString(), pinned.Id.ToString(), first.Id.ToString()], ids);
        Assert.Contains("L’essentiel", document.QuerySelector(".live-pinned").Text(), StringComparison.Ordinal);
        var keys = document.QuerySelectorAll(".live-key-events a").Select(a => (a.Text(), a.GetAttribute("href"))).ToList();
        Assert.Equal(2, keys.Count);
        Assert.EndsWith("Chiffres officiels", keys[0].Item1, StringComparison.Ordinal);
        Assert.Equal($"#entree-{last.Id}", keys[0].Item2);
        var deleted = document.GetElementById($"entree-{removed.Id}")!;
        Assert.StartsWith("Entrée supprimée à ", deleted.Text(), StringComparison.Ordinal);
        Assert.Contains("Information non confirmée, retirée.", deleted.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("rumeur", document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.NotNull(document.QuerySelector("a[data-live-update]"));

        var jsonLd = document.QuerySelectorAll("script[type='application/ld+json']").Select(s => JsonDocument.Parse(s.TextContent).RootElement)
            .Single(j => j.GetProperty("@type").GetString() == "LiveBlogPosting");
        Assert.True(jsonLd.TryGetProperty("coverageStartTime", out _));
        Assert.False(jsonLd.TryGetProperty("coverageEndTime", out _));
        Assert.Equal(3, jsonLd.GetProperty("liveBlogUpdate").GetArrayLength());

        // One address: the article route sends readers to the live page.
        using var article = await reader.GetAsync($"/article/{page.Slug}");
        Assert.Equal(HttpStatusCode.MovedPermanently, article.StatusCode);
        Assert.Equal($"/direct/{page.Slug}", article.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Lists_and_sitemaps_lead_to_the_live_page_with_its_badge_while_it_is_live_and_its_script_is_served()
    {
        var page = await LivePageAsync();
        var section = await site.WithDbAsync(db => db.Articles.Where(a => a.Id == page.Id).Select(a => a.Section.Slug).SingleAsync());
        using var reader = site.Reader();
        var list = await reader.GetDocumentAsync($"/rubrique/{section}");
        var card = list.QuerySelector(".card")!;
        Assert.Equal("En direct", card.QuerySelector(".live-badge").Text());
        Assert.Equal($"/direct/{page.Slug}", card.QuerySelector(".card-headline a")!.GetAttribute("href"));
        using (var news = await reader.GetAsync(Kiosque.Feeds.Sitemaps.NewsPath, TestContext.Current.CancellationToken))
        {
            Assert.Contains($"/direct/{page.Slug}</loc>", await news.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        var live = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        var script = live.QuerySelector("script[src]")!.GetAttribute("src")!;
        using (var js = await reader.GetAsync(script, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.Contains("EventSource", await js.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        await site.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == page.Id);
            article.Coverage = Coverage.Ended;
            article.CoverageEndedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        });
        list = await reader.GetDocumentAsync($"/rubrique/{section}");
        Assert.Null(list.QuerySelector(".card .live-badge"));
        live = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        Assert.Equal("Direct terminé", live.QuerySelector(".live-badge").Text());
        Assert.Null(live.QuerySelector("script[src]"));
        // An ended page's stream tells browsers to stop reconnecting.
        using var stream = await reader.GetAsync($"/direct/{page.Slug}/events", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, stream.StatusCode);
    }

    [Fact]
    public async Task A_new_entry_evicts_the_cached_page_and_older_entries_are_paginated()
    {
        var page = await LivePageAsync();
        var entries = Enumerable.Range(1, 22).Select(i => Entry(page, $"Entrée numéro {i}.", 200 - i)).ToArray();
        await AddAsync(entries);
        using var reader = site.Reader();
        var document = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        Assert.Equal(20, document.QuerySelectorAll(".live-feed [data-entry]").Length);
        var older = document.QuerySelector(".live-older a")!.GetAttribute("href")!;
        Assert.Equal($"/direct/{page.Slug}?avant={entries[2].Id}", older);
        var second = await reader.GetDocumentAsync(older);
        Assert.Equal([entries[1].Id.ToString(), entries[0].Id.ToString()], second.QuerySelectorAll(".live-feed [data-entry]").Select(e => e.GetAttribute("data-entry")));
        Assert.Null(second.QuerySelector("[data-live-events]"));
        await reader.GetDocumentAsync($"/direct/{page.Slug}?avant=abc", 404);

        await AddAsync(Entry(page, "Une entrée toute fraîche.", 0));
        document = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        Assert.Equal("Une entrée toute fraîche.", document.QuerySelector(".live-feed [data-entry] .live-entry-body").Text());
    }

    [Fact]
    public async Task A_draft_live_page_its_entries_and_their_pictures_never_reach_readers()
    {
        var photo = await site.IngestAsync(TestImages.Jpeg(640, 480, (30, 60, 90)), new MediaUpload("direct.jpg", "Iris Volk", "Le cortège.", "Un cortège"));
        var page = await LivePageAsync(ArticleStatus.Draft);
        var entry = Entry(page, "Entrée d’un direct pas encore publié.", 5, more: new ImageBlock(photo.Id));
        await AddAsync(entry);
        var picture = $"/media/{photo.FileName}";

        using var reader = site.Reader();
        foreach (var path in new[] { $"/direct/{page.Slug}", $"/direct/{page.Slug}/events", $"/direct/{page.Slug}/depuis/0", picture })
        {
            using var response = await reader.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("pas encore publié", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        await site.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == page.Id);
            article.Status = ArticleStatus.Published;
            article.PublishedAt = TestContent.Now;
            await db.SaveChangesAsync();
        });
        using (var open = await reader.GetAsync(picture, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }
        var document = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        Assert.NotNull(document.QuerySelector($"#entree-{entry.Id} img"));

        // Deleting the entry takes its picture out of public view again.
        await UpdateAsync(entry.Id, e => e.DeletedAt = DateTime.UtcNow);
        using var closed = await reader.GetAsync(picture, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, closed.StatusCode);
    }

    [Fact]
    public async Task The_Atom_feed_carries_the_entries_with_ids_of_their_own_and_deletions_said()
    {
        var page = await LivePageAsync();
        var kept = Entry(page, "Le cortège arrive <b>place centrale</b>.", 20, title: "Arrivée");
        var removed = Entry(page, "Une erreur.", 10);
        await AddAsync(kept, removed);
        await UpdateAsync(removed.Id, e =>
        {
            e.DeletedAt = DateTime.UtcNow;
            e.DeletionNote = "Publiée par erreur.";
        });
        using var reader = site.Reader();
        var html = await reader.GetDocumentAsync($"/direct/{page.Slug}");
        var feedUrl = html.QuerySelectorAll("link[rel=alternate][type='application/atom+xml']").Select(l => l.GetAttribute("href")!)
            .Single(href => href.EndsWith($"/direct/{page.Slug}/atom.xml", StringComparison.Ordinal));
        using var response = await reader.GetAsync(feedUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var xml = System.Xml.XmlReader.Create(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var feed = System.ServiceModel.Syndication.SyndicationFeed.Load(xml);
        var items = feed.Items.ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains($":live-entry:{removed.Id}", items[0].Id, StringComparison.Ordinal);
        Assert.Contains("Publiée par erreur.", ((System.ServiceModel.Syndication.TextSyndicationContent)items[0].Content).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Une erreur.", ((System.ServiceModel.Syndication.TextSyndicationContent)items[0].Content).Text, StringComparison.Ordinal);
        Assert.Equal("Arrivée", items[1].Title.Text);
        Assert.EndsWith($"#entree-{kept.Id}", items[1].Links[0].Uri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_update_fragment_returns_only_newer_entries_and_is_shared_by_caches_for_two_seconds()
    {
        var page = await LivePageAsync();
        var old = Entry(page, "Plus ancienne.", 30);
        var recent = Entry(page, "Plus récente.", 3);
        await AddAsync(old, recent);
        using var reader = site.Reader();
        using var response = await reader.GetAsync($"/direct/{page.Slug}/depuis/{old.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=2", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Plus récente.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Plus ancienne.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stream_delivers_a_posted_entry_and_a_reconnection_with_Last_Event_ID_misses_nothing()
    {
        var page = await LivePageAsync();
        using var reader = site.Reader();
        var cancel = TestContext.Current.CancellationToken;
        long lastId;
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/direct/{page.Slug}/events"))
        {
            using var response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(cancel), Encoding.UTF8);

            var posted = Entry(page, "Entrée <b>en direct</b> vers les lecteurs.", 0);
            await AddAsync(posted);
            var received = await ReadEventAsync(stream, cancel);
            Assert.Equal("entry", received.Name);
            Assert.Contains("Entrée <b>en direct</b> vers les lecteurs.", received.Html, StringComparison.Ordinal);
            lastId = received.Id;
        }

        // While the reader is away: one entry edited, one posted, one deleted.
        var missed = Entry(page, "Publiée pendant la coupure.", 0);
        await AddAsync(missed);
        await UpdateAsync(missed.Id, e =>
        {
            e.DeletedAt = DateTime.UtcNow;
            e.DeletionNote = "Doublon.";
        });

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/direct/{page.Slug}/events"))
        {
            request.Headers.Add("Last-Event-ID", lastId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(cancel), Encoding.UTF8);
            var first = await ReadEventAsync(stream, cancel);
            var second = await ReadEventAsync(stream, cancel);
            Assert.Equal(("entry", "delete"), (first.Name, second.Name));
            Assert.True(first.Id > lastId && second.Id > first.Id);
            Assert.Contains("Doublon.", second.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("pendant la coupure", second.Html, StringComparison.Ordinal);
        }
    }

    private sealed record ReceivedEvent(long Id, string Name, string Html);

    private static async Task<ReceivedEvent> ReadEventAsync(StreamReader stream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        long id = 0;
        string? name = null, data = null;
        while (true)
        {
            var line = await stream.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.Length == 0)
            {
                if (name is not null && data is not null)
                {
                    return new ReceivedEvent(id, name, JsonDocument.Parse(data).RootElement.GetProperty("html").GetString()!);
                }
                continue;
            }
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
    }
}

public sealed class LivePageSqliteTests(SqliteSite site) : LivePageTests(site), IClassFixture<SqliteSite>;

public sealed class LivePagePostgresTests(PostgresSite site) : LivePageTests(site), IClassFixture<PostgresSite>;
