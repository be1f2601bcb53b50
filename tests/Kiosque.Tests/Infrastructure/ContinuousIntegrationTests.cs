namespace Kiosque.Tests.Infrastructure;

/// <summary>In CI a PostgreSQL test must fail, not skip, when it has no server: the flag has to reach the tests.</summary>
public sealed class ContinuousIntegrationTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData(" true ", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void The_ci_flag_is_read_as_ci_services_spell_it(string? value, bool inCi)
    {
        Assert.Equal(inCi, KiosqueFactory.InCi(value));
    }

    [Fact]
    public void The_ci_entry_point_sets_the_flag_itself()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Kiosque.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var lines = File.ReadAllLines(Path.Combine(root.FullName, ".ci", "run")).Select(l => l.Trim()).ToList();

        var export = lines.IndexOf("export CI=true");
        Assert.True(export >= 0, ".ci/run does not export CI=true");
        Assert.True(export < lines.FindIndex(l => l.Contains("scripts/test.sh", StringComparison.Ordinal)), "CI=true must be set before the tests run");
    }
}
