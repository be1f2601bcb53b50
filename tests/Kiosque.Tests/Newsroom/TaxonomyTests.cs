using System.Net;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Newsroom;

/// <summary>Sections, tags and authors: renamed addresses redirect straight to the newest.</summary>
public abstract class TaxonomyTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    private static async Task<string?> RedirectOfAsync(HttpClient reader, string path)
    {
        using var response = await reader.GetAsync(path);
        return response.StatusCode == HttpStatusCode.MovedPermanently ? response.Headers.Location!.OriginalString : null;
    }

    [Theory]
    [InlineData("themes", "/theme/")]
    [InlineData("auteurs", "/auteur/")]
    [InlineData("rubriques", "/rubrique/")]
    public async Task Renaming_twice_points_every_old_address_straight_to_the_newest(string list, string prefix)
    {
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        using var reader = site.Reader();
        using (admin)
        {
            var first = _content.Unique("premiere");
            var second = _content.Unique("deuxieme");
            var third = _content.Unique("troisieme");
            using (var created = await admin.PostFormAsync($"/newsroom/{list}", ("name", "Un nom " + first), ("slug", first)))
            {
                Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            }
            var id = await site.WithDbAsync(db => list switch
            {
                "themes" => db.Tags.Where(t => t.Slug == first).Select(t => t.Id).FirstAsync(),
                "auteurs" => db.Authors.Where(a => a.Slug == first).Select(a => a.Id).FirstAsync(),
                _ => db.Sections.Where(s => s.Slug == first).Select(s => s.Id).FirstAsync(),
            });
            foreach (var slug in new[] { second, third })
            {
                using var renamed = await admin.PostFormAsync($"/newsroom/{list}/{id}", ("name", "Un nom " + first), ("slug", slug));
                Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
            }

            Assert.Equal(prefix + third, await RedirectOfAsync(reader, prefix + first));
            Assert.Equal(prefix + third, await RedirectOfAsync(reader, prefix + second));
            Assert.Null(await RedirectOfAsync(reader, prefix + third));

            // Given back, the first address answers itself, and the others lead to it.
            using (var back = await admin.PostFormAsync($"/newsroom/{list}/{id}", ("name", "Un nom " + first), ("slug", first))) { }
            Assert.Null(await RedirectOfAsync(reader, prefix + first));
            Assert.Equal(prefix + first, await RedirectOfAsync(reader, prefix + second));
            Assert.Equal(prefix + first, await RedirectOfAsync(reader, prefix + third));
        }
    }
}

public sealed class TaxonomySqliteTests(SqliteSite site) : TaxonomyTests(site), IClassFixture<SqliteSite>;

public sealed class TaxonomyPostgresTests(PostgresSite site) : TaxonomyTests(site), IClassFixture<PostgresSite>;
