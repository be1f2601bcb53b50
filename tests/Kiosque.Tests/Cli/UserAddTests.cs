using System.Net;
using Kiosque.Cli;
using Kiosque.Newsroom;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Spectre.Console.Testing;

namespace Kiosque.Tests.Cli;

/// <summary>
/// <c>kiosque user add</c> run against a site's database, as an operator does on the server, and
/// the new account signing in to the newsroom of that site.
/// </summary>
public abstract class UserAddTests(KiosqueFactory site)
{
    private const string Passphrase = "une phrase de passe solide";

    private static string NewEmail() => $"cli-{Guid.NewGuid():N}@redaction.test";

    private string[] Args(string email, string role = Roles.Editor)
    {
        site.SkipIfUnavailable();
        // Starts the site first: its database exists and is up to date when the verb opens it.
        _ = site.Services;
        return
        [
            "user", "add", "--email", email, "--name", "Inès Morel", "--role", role,
            $"--Database:Provider={site.Kind}", $"--ConnectionStrings:Kiosque={site.ConnectionString}", $"--Kiosque:DataDirectory={site.DataDirectory}",
        ];
    }

    /// <summary>A person at a terminal, who types these lines when asked.</summary>
    private static (CliTerminal Terminal, TestConsole Screen, StringWriter Error) Terminal(params string[] typed)
    {
        var screen = new TestConsole().Interactive();
        foreach (var line in typed)
        {
            screen.Input.PushTextWithEnter(line);
        }
        var error = new StringWriter();
        return (new CliTerminal(screen, TextReader.Null, TextWriter.Null, error, InputRedirected: false), screen, error);
    }

    private async Task SignsInAsync(string email)
    {
        using var client = site.Browser();
        using var signedIn = await client.SignInAsync(email, Passphrase);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var dashboard = await client.GetDocumentAsync("/newsroom");
        Assert.Contains("Inès Morel", dashboard.QuerySelector(".nr-user").Text(), StringComparison.Ordinal);
        // The role given on the command line: editors curate the front page.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/newsroom/une")).StatusCode);
    }

    [Fact]
    public async Task User_add_reads_the_password_from_standard_input_and_the_account_signs_in()
    {
        var email = NewEmail();
        Assert.Equal(0, await KiosqueCli.RunAsync(Args(email), new StringReader(Passphrase + "\n")));

        var hash = await site.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.PasswordHash).SingleAsync());
        Assert.DoesNotContain("une phrase", hash, StringComparison.Ordinal);
        await SignsInAsync(email);
    }

    [Fact]
    public async Task At_a_terminal_the_password_is_asked_twice_without_echo_and_the_account_signs_in()
    {
        var email = NewEmail();
        var (terminal, screen, error) = Terminal(Passphrase, Passphrase);

        Assert.Equal(0, await KiosqueCli.RunAsync(Args(email), terminal: terminal));

        Assert.Contains("Password (12 characters or more):", screen.Output, StringComparison.Ordinal);
        Assert.Contains("Password again:", screen.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, screen.Output, StringComparison.Ordinal);
        Assert.Equal("", error.ToString());
        await SignsInAsync(email);
    }

    [Fact]
    public async Task At_a_terminal_two_different_passwords_are_refused_with_a_clear_message_and_no_account()
    {
        var email = NewEmail();
        var (terminal, _, error) = Terminal(Passphrase, "une autre phrase de passe");

        Assert.NotEqual(0, await KiosqueCli.RunAsync(Args(email), terminal: terminal));

        Assert.Contains("The two passwords differ: no account was created.", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("No password given", error.ToString(), StringComparison.Ordinal);
        Assert.False(await site.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }
}

[Collection(ConsoleVerbs.Name)]
public sealed class UserAddSqliteTests(SqliteSite site) : UserAddTests(site), IClassFixture<SqliteSite>;

[Collection(ConsoleVerbs.Name)]
public sealed class UserAddPostgresTests(PostgresSite site) : UserAddTests(site), IClassFixture<PostgresSite>;
