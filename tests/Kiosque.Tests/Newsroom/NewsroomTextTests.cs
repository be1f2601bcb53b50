using System.Net;
using System.Xml.Linq;
using Kiosque.Content;
using Kiosque.Jobs;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Newsroom;

/// <summary>Every newsroom string comes from the resource files, in French and in English.</summary>
public sealed class NewsroomTextTests(NewsroomTextTests.Site site) : IClassFixture<NewsroomTextTests.Site>
{
    public sealed class Site() : KiosqueFactory(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Kiosque:Culture"] = "en" });

    private static string Resources([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "../../../src/Kiosque/Resources"));

    [Fact]
    public void French_and_English_have_the_same_keys()
    {
        static HashSet<string> Keys(string file) =>
            XDocument.Load(file).Root!.Elements("data").Select(e => e.Attribute("name")!.Value).ToHashSet();
        var french = Keys(Path.Combine(Resources(), "SharedResource.resx"));
        var english = Keys(Path.Combine(Resources(), "SharedResource.en.resx"));
        Assert.Empty(french.Except(english));
        Assert.Empty(english.Except(french));
        Assert.Contains("Newsroom.SignIn.Email", french);
    }

    [Fact]
    public async Task The_newsroom_speaks_english_when_the_site_does()
    {
        using var client = site.Browser();
        var page = await client.GetDocumentAsync("/newsroom/connexion");
        Assert.Equal("E-mail address", page.QuerySelector("label[for=email]").Text());
        Assert.Equal("Password", page.QuerySelector("label[for=password]").Text());

        var (editor, _) = await site.SignedInAsync(Roles.Editor);
        using (editor)
        {
            var dashboard = await editor.GetDocumentAsync("/newsroom");
            Assert.Equal("Dashboard", dashboard.QuerySelector("h1").Text());
            Assert.Contains(dashboard.QuerySelectorAll("h2"), h => h.Text() == "Waiting for review");
        }
    }

    [Fact]
    public async Task The_audit_log_reads_in_english_whoever_wrote_it()
    {
        var content = new TestContent();
        var due = content.Article(content.Section(), "A scheduled piece", status: ArticleStatus.Scheduled);
        (due.PublishedAt, due.ScheduledAt) = (null, DateTime.UtcNow.AddMinutes(-1));
        await site.WithDbAsync(db => TestContent.SaveAsync(db, due));
        Assert.True(await site.Services.GetRequiredService<ScheduledPublisher>().PublishDueAsync() >= 1);

        var (admin, _) = await site.SignedInAsync(Roles.Admin, "Ana Admin");
        using (admin)
        {
            using (var settings = await admin.PostFormAsync("/newsroom/reglages", ("requireTwoFactor", "false")))
            {
                Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
            }
            var log = await admin.GetDocumentAsync("/newsroom/journal");
            string[] Cells(string action, Func<AngleSharp.Dom.IElement, bool>? which = null) =>
                log.QuerySelectorAll($"tbody tr[data-action='{action}']").First(which ?? (_ => true)).Children.Select(c => c.Text()).ToArray();

            var published = Cells("article.published", r => r.Text().Contains($"#{due.Id}", StringComparison.Ordinal));
            Assert.Equal(["System", "Published at its scheduled time", "by the schedule"], [published[1], published[2], published[4]]);
            var rule = Cells("settings.2fa");
            Assert.Equal(["Ana Admin", "Two-step verification rule", "optional"], [rule[1], rule[2], rule[4]]);
            Assert.Equal("Sign-in", Cells("account.signin")[2]);
            // Nothing the log shows is in French, nor a bare code.
            Assert.DoesNotContain(log.QuerySelectorAll("tbody td"), td => td.Text() is "système" or "programmé" or "facultative" or "article.published");
        }
    }
}
