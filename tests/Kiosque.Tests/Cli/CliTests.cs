using Kiosque.Cli;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Cli;

/// <summary>
/// Verbs draw progress bars on the one process-wide console, and Spectre.Console refuses two live
/// displays at once: tests that run verbs share this collection, so they take turns.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleVerbs
{
    public const string Name = "Console";
}

/// <summary>The admin verbs, run as an operator would, on a fresh data directory and database of each kind.</summary>
[Collection(ConsoleVerbs.Name)]
public abstract class CliTests(DatabaseKind kind) : IAsyncDisposable
{
    private readonly CliDatabase _database = new(kind, "cli");

    private string[] Args(params string[] verb) => _database.Args(verb);

    [Fact]
    public async Task Migrate_then_demo_generate_fills_the_database()
    {
        Assert.Equal(0, await KiosqueCli.RunAsync(Args("migrate")));
        Assert.Equal(0, await KiosqueCli.RunAsync(Args("demo", "generate", "--articles", "40")));

        await using var db = _database.Open();
        var demo = Kiosque.Demo.DemoNewsroom.Load().Articles.Count(a => a.Status is null);
        Assert.Equal(demo + 40, await db.Published().CountAsync());
        var generated = await db.Articles.OrderBy(a => a.Id).LastAsync();
        Assert.NotEmpty(generated.Headline);
        Assert.True(ArticleBody.Parse(generated.Body).Blocks.OfType<ParagraphBlock>().Count() >= 6);
        Assert.NotEmpty(await db.ArticleAuthors.Where(a => a.ArticleId == generated.Id).ToListAsync());
    }

    [Fact]
    public async Task A_verb_after_configuration_options_runs_as_the_verb()
    {
        string[] args = [.. _database.Options(), "migrate"];
        Assert.True(KiosqueCli.IsVerb(args), "the web server would start instead of the verb");

        Assert.Equal(0, await KiosqueCli.RunAsync(args));

        await using var db = _database.Open();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Articles.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_configuration_value_given_as_the_next_argument_is_not_taken_for_the_verb()
    {
        // "--Kiosque:DataDirectory DIR demo generate": DIR is the option's value, demo the verb.
        var options = _database.Options().SelectMany(o => o.Split('=', 2)).ToArray();
        string[] args = [.. options, "demo", "generate", "--articles", "3"];
        Assert.True(KiosqueCli.IsVerb(args));

        Assert.Equal(0, await KiosqueCli.RunAsync(args));

        await using var db = _database.Open();
        var demo = Kiosque.Demo.DemoNewsroom.Load().Articles.Count(a => a.Status is null);
        Assert.Equal(demo + 3, await db.Published().CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("beaucoup")]
    public async Task Demo_generate_refuses_a_bad_count(string count)
    {
        Assert.NotEqual(0, await KiosqueCli.RunAsync(Args("demo", "generate", "--articles", count)));
    }

    [Theory]
    [InlineData("editor", "")]
    [InlineData("editor", "court")]
    [InlineData("chef", "une phrase de passe solide")]
    public async Task User_add_refuses_a_missing_or_weak_password_and_unknown_roles(string role, string password)
    {
        Assert.NotEqual(0, await KiosqueCli.RunAsync(Args("user", "add", "--email", "x@redaction.test", "--name", "X", "--role", role), new StringReader(password)));
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _database.DisposeAsync();
    }
}

/// <summary>How the one executable reads its command line: a verb, or the web server.</summary>
public sealed class KiosqueCliArgumentsTests
{
    [Fact]
    public void The_demo_flag_is_short_for_the_configuration_key_and_nothing_else_changes()
    {
        Assert.Equal(["--Kiosque:Demo=true"], KiosqueCli.Normalize(["--demo"]));
        Assert.Equal(["--urls", "http://127.0.0.1:8080", "--Kiosque:Demo=true"], KiosqueCli.Normalize(["--urls", "http://127.0.0.1:8080", "--demo"]));
        Assert.Equal(["--demography", "demo", "--Kiosque:Demo=false"], KiosqueCli.Normalize(["--demography", "demo", "--Kiosque:Demo=false"]));
        Assert.Empty(KiosqueCli.Normalize([]));
    }

    [Theory]
    [InlineData(true, "migrate")]
    [InlineData(true, "--Kiosque:DataDirectory=/tmp/x", "migrate")]
    [InlineData(true, "--Kiosque:DataDirectory", "/tmp/x", "migrate")]
    [InlineData(true, "--Database:Provider=Postgres", "--ConnectionStrings:Kiosque=Host=h;Database=d", "demo", "generate", "--articles", "5")]
    [InlineData(true, "--Kiosque:Demo=true", "reindex")]
    [InlineData(false)]
    [InlineData(false, "--Kiosque:Demo=true")]
    [InlineData(false, "--urls", "http://127.0.0.1:8080")]
    [InlineData(false, "--urls", "http://127.0.0.1:8080", "--Kiosque:Demo=true")]
    [InlineData(false, "--Kiosque:DataDirectory", "migrate")]
    [InlineData(true, "serve", "migrate")]
    [InlineData(true, "--help")]
    [InlineData(true, "--urls", "http://127.0.0.1:8080", "-h")]
    [InlineData(true, "frobnicate")]
    [InlineData(false, "urls=http://127.0.0.1:8080")]
    public void Verbs_are_found_before_or_after_configuration_options(bool isVerb, params string[] args)
    {
        Assert.Equal(isVerb, KiosqueCli.IsVerb(args));
    }

    [Fact]
    public void Configuration_goes_to_the_host_and_the_rest_to_the_verb()
    {
        var (config, verb) = KiosqueCli.Split(["--Kiosque:DataDirectory", "/srv/k", "demo", "generate", "--articles", "40", "--Database:Provider=Postgres"]);

        Assert.Equal(["--Kiosque:DataDirectory", "/srv/k", "--Database:Provider=Postgres"], config);
        Assert.Equal(["demo", "generate", "--articles", "40"], verb);
    }
}

public sealed class CliSqliteTests() : CliTests(DatabaseKind.Sqlite);

public sealed class CliPostgresTests() : CliTests(DatabaseKind.Postgres);
