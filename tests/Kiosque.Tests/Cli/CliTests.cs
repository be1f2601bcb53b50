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

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("beaucoup")]
    public async Task Demo_generate_refuses_a_bad_count(string count)
    {
        Assert.NotEqual(0, await KiosqueCli.RunAsync(Args("demo", "generate", "--articles", count)));
    }

    [Fact]
    public async Task User_add_reads_the_password_from_standard_input_and_the_account_signs_in()
    {
        Assert.Equal(0, await KiosqueCli.RunAsync(Args("user", "add", "--email", "ines@redaction.test", "--name", "Inès Morel", "--role", "editor"), new StringReader("une phrase de passe solide\n")));

        await using var db = _database.Open();
        var user = await db.Users.SingleAsync(u => u.Email == "ines@redaction.test");
        Assert.Equal("Inès Morel", user.DisplayName);
        Assert.NotNull(user.PasswordHash);
        Assert.DoesNotContain("une phrase", user.PasswordHash, StringComparison.Ordinal);
        var role = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).SingleAsync();
        Assert.Equal("editor", role);
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

public sealed class CliSqliteTests() : CliTests(DatabaseKind.Sqlite);

public sealed class CliPostgresTests() : CliTests(DatabaseKind.Postgres);
