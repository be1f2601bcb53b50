using Kiosque.Cli;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
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

/// <summary>The admin verbs, run as an operator would, on a fresh SQLite data directory.</summary>
[Collection(ConsoleVerbs.Name)]
public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kiosque-cli-").FullName;

    private string[] Args(params string[] verb) => [.. verb, $"--Kiosque:DataDirectory={_directory}"];

    [Fact]
    public async Task Migrate_then_demo_generate_fills_the_database()
    {
        Assert.Equal(0, await KiosqueCli.RunAsync(Args("migrate")));
        Assert.Equal(0, await KiosqueCli.RunAsync(Args("demo", "generate", "--articles", "40")));

        var options = new DbContextOptionsBuilder<SqliteKiosqueDb>().UseSqlite($"Data Source={Path.Combine(_directory, "kiosque.db")};Pooling=false").Options;
        await using var db = new SqliteKiosqueDb(options);
        var demo = Kiosque.Demo.DemoNewsroom.Load().Articles.Count(a => a.Status is null);
        Assert.Equal(demo + 40, await db.Published().CountAsync());
        var generated = await db.Articles.OrderBy(a => a.Id).LastAsync();
        Assert.NotEmpty(generated.Headline);
        Assert.True(ArticleBody.Parse(generated.Body).Blocks.OfType<ParagraphBlock>().Count() >= 6);
        Assert.NotEmpty(await db.ArticleAuthors.Where(a => a.ArticleId == generated.Id).ToListAsync());
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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
