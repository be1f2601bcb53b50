using System.IO.Compression;
using System.Text;
using Kiosque.Caching;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Kiosque.Tests.Caching;

/// <summary>The page store's byte budget, including representations made after an entry was stored.</summary>
public sealed class PageStoreTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    private static PageEntry Page(string text, long epoch = 0) =>
        PageEntry.Create(200, [new("Content-Type", new StringValues("text/html; charset=utf-8"))], Encoding.UTF8.GetBytes(text), compressible: true, ["page"], Clock.GetUtcNow(), epoch, TimeSpan.FromHours(1));

    private static string Article(int seed) =>
        string.Concat(Enumerable.Range(0, 400).Select(i => $"<p>Paragraphe {i * seed} du reportage, avec des mots qui reviennent et d'autres qui changent ({i % 7}).</p>"));

    [Fact]
    public void A_stored_page_holds_brotli_only_until_a_client_asks_for_gzip_which_is_then_made_once_and_counted()
    {
        var store = new PageStore(1024 * 1024, Clock);
        var entry = Page(Article(3));
        Assert.True(store.TrySet("/article/a", entry));
        Assert.NotNull(entry.Brotli);
        Assert.Null(entry.Gzip);
        var before = store.Size;

        var gzip = entry.GzipBody(store.Grew);
        Assert.Same(gzip, entry.GzipBody(store.Grew));
        Assert.Equal(before + gzip.Length, store.Size);
        Assert.Equal(entry.Size, store.Size);

        // Every representation is the same page.
        using var gunzip = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        gunzip.CopyTo(decoded);
        Assert.Equal(Article(3), Encoding.UTF8.GetString(decoded.ToArray()));
        Assert.Equal(Article(3), Encoding.UTF8.GetString(entry.IdentityBody()));

        // Evicted: nothing is left counted, even when its gzip body comes after.
        store.Evict(["page"]);
        Assert.Equal(0, store.Size);
        var late = Page(Article(5), store.Epoch);
        Assert.True(store.TrySet("/article/b", late));
        store.Evict(["page"]);
        late.GzipBody(store.Grew);
        Assert.Equal(0, store.Size);
    }

    [Fact]
    public void An_uncompressed_body_is_decoded_once_for_clients_without_accept_encoding_and_counted()
    {
        var store = new PageStore(1024 * 1024, Clock);
        var entry = Page(Article(4));
        Assert.True(store.TrySet("/article/c", entry));
        // Gzip is made from a decoded copy that is not kept.
        entry.GzipBody(store.Grew);
        Assert.Null(entry.Identity);
        var before = store.Size;

        var identity = entry.IdentityBody(store.Grew);
        Assert.Equal(Article(4), Encoding.UTF8.GetString(identity));
        Assert.Same(identity, entry.IdentityBody(store.Grew));
        Assert.Equal(before + identity.Length, store.Size);
        Assert.Equal(entry.Size, store.Size);
    }

    [Fact]
    public void Gzip_bodies_made_later_push_the_least_recently_served_pages_out_of_the_budget()
    {
        var first = Page(Article(1));
        // A budget that holds a few Brotli pages but not their gzip twins as well.
        var store = new PageStore(first.Size * 5, Clock);
        var entries = Enumerable.Range(1, 4).Select(i => (Key: $"/article/{i}", Entry: Page(Article(i)))).ToList();
        foreach (var (key, entry) in entries)
        {
            Assert.True(store.TrySet(key, entry));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(4, store.Count);

        foreach (var (_, entry) in entries.Skip(1))
        {
            entry.GzipBody(store.Grew);
        }

        Assert.True(store.Size <= first.Size * 5);
        Assert.False(store.TryGet("/article/1", out _));
    }
}
