using System.Net;
using Kiosque.Content;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Newsroom;

/// <summary>Sections, tags and authors: renamed addresses redirect straight to the newest, and unused sections and tags can be deleted.</summary>
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

    [Fact]
    public async Task A_tag_or_section_no_article_uses_can_be_deleted_others_are_refused_with_the_reason()
    {
        var usedSection = _content.Section("Utilisée");
        var emptySection = _content.Section("Vide");
        var usedTag = _content.Tag("Utilisé");
        var emptyTag = _content.Tag("Vide");
        // A draft is enough to keep them: deleting would lose part of someone's work.
        var draft = _content.Article(usedSection, "Un brouillon qui les utilise", status: ArticleStatus.Draft, tags: [usedTag]);
        await site.WithDbAsync(db => TestContent.SaveAsync(db, usedSection, emptySection, usedTag, emptyTag, draft));
        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        var (admin, _) = await site.SignedInAsync(Roles.Admin);
        var (contributor, _) = await site.SignedInAsync(Roles.Contributor);
        using var reader = site.Reader();
        using (editor)
        using (admin)
        using (contributor)
        {
            // Renamed once, its old address will go with it.
            var renamed = _content.Unique("vide-renomme");
            using (var rename = await editor.PostFormAsync($"/newsroom/themes/{emptyTag.Id}", ("name", emptyTag.Name), ("slug", renamed))) { }
            Assert.Equal($"/theme/{renamed}", await RedirectOfAsync(reader, $"/theme/{emptyTag.Slug}"));

            var tags = await editor.GetDocumentAsync("/newsroom/themes");
            Assert.NotNull(tags.QuerySelector($"form[action='/newsroom/themes/{emptyTag.Id}/supprimer']"));
            Assert.Null(tags.QuerySelector($"form[action='/newsroom/themes/{usedTag.Id}/supprimer']"));

            using (var inUse = await editor.PostFormAsync($"/newsroom/themes/{usedTag.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, inUse.StatusCode);
                Assert.Contains("1 article(s) l’utilisent encore", (await Html.ParseAsync(inUse)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            using (var forbidden = await contributor.PostFormAsync($"/newsroom/themes/{emptyTag.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            }
            using (var deleted = await editor.PostFormAsync($"/newsroom/themes/{emptyTag.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            }
            Assert.False(await site.WithDbAsync(db => db.Tags.AnyAsync(t => t.Id == emptyTag.Id)));
            Assert.True(await site.WithDbAsync(db => db.Tags.AnyAsync(t => t.Id == usedTag.Id)));
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/theme/{emptyTag.Slug}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/theme/{renamed}")).StatusCode);

            // Sections are administrators' to delete.
            using (var editorRefused = await editor.PostFormAsync($"/newsroom/rubriques/{emptySection.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, editorRefused.StatusCode);
            }
            using (var sectionInUse = await admin.PostFormAsync($"/newsroom/rubriques/{usedSection.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.BadRequest, sectionInUse.StatusCode);
                Assert.Contains(usedSection.Name, (await Html.ParseAsync(sectionInUse)).QuerySelector(".nr-error").Text(), StringComparison.Ordinal);
            }
            using (var sectionDeleted = await admin.PostFormAsync($"/newsroom/rubriques/{emptySection.Id}/supprimer"))
            {
                Assert.Equal(HttpStatusCode.Redirect, sectionDeleted.StatusCode);
            }
            Assert.False(await site.WithDbAsync(db => db.Sections.AnyAsync(s => s.Id == emptySection.Id)));
            Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync($"/newsroom/rubriques/{emptySection.Id}/supprimer")).StatusCode);
            Assert.Equal(usedSection.Id, (await site.WithDbAsync(db => db.Articles.AsNoTracking().FirstAsync(a => a.Id == draft.Id))).SectionId);
            var log = await site.WithDbAsync(db => db.AuditLog.Where(e => e.Action == "tags.deleted" || e.Action == "sections.deleted").Select(e => e.Target).ToListAsync());
            Assert.Contains(emptyTag.Name, log);
            Assert.Contains(emptySection.Name, log);
        }
    }
}

public sealed class TaxonomySqliteTests(SqliteSite site) : TaxonomyTests(site), IClassFixture<SqliteSite>;

public sealed class TaxonomyPostgresTests(PostgresSite site) : TaxonomyTests(site), IClassFixture<PostgresSite>;
