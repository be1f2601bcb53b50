using System.Xml.Linq;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;

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
}
