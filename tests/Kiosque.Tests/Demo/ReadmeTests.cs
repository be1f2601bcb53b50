using System.Globalization;
using System.Text.RegularExpressions;
using Kiosque.Demo;
using Kiosque.Tests.Infrastructure;

namespace Kiosque.Tests.Demo;

/// <summary>
/// The README promises a newcomer what <c>--demo</c> seeds; the numbers are read from the demo's
/// own data, so adding an article to it without updating the README fails here.
/// </summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void The_readme_counts_the_demo_articles_sections_and_journalists_as_they_are_seeded()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md"));
        var match = DemoSentence().Match(readme);
        Assert.True(match.Success, "the README no longer describes the demo newsroom's size");

        var demo = DemoNewsroom.Load();
        var published = demo.Articles.Count(a => a.Status is null);
        Assert.Equal(published, int.Parse(match.Groups["published"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(demo.Sections.Count, int.Parse(match.Groups["sections"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(demo.Authors.Count, int.Parse(match.Groups["authors"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(demo.Articles.Count - published, int.Parse(match.Groups["others"].Value, CultureInfo.InvariantCulture));
    }


    [GeneratedRegex(@"(?<published>\d+) published articles in (?<sections>\d+)\s+sections by (?<authors>\d+)\s+journalists.*?(?<others>\d+) more in the newsroom only", RegexOptions.Singleline)]
    private static partial Regex DemoSentence();
}
