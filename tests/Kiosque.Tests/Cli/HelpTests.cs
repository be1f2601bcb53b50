using System.Diagnostics;
using Kiosque.Cli;
using Spectre.Console;

namespace Kiosque.Tests.Cli;

/// <summary>
/// <c>kiosque --help</c> and its variants print the verbs and exit, and a word that is no verb is
/// an error: neither may start the web server (they used to, which a typo turned into a second
/// server on a production machine).
/// </summary>
public sealed class HelpTests
{
    private static readonly string[] Verbs = ["migrate", "demo", "user", "media", "reindex"];

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("--Kiosque:DataDirectory=/nonexistent", "--help")]
    public async Task Help_lists_every_verb_and_succeeds(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("Without a verb, kiosque serves the site", output, StringComparison.Ordinal);
        foreach (var verb in Verbs)
        {
            Assert.Matches($@"(?m)^\s+{verb}\b", output);
        }
    }

    [Theory]
    [InlineData("help", "user")]
    [InlineData("user", "--help")]
    [InlineData("user", "-h")]
    public async Task Help_on_a_verb_lists_its_own_commands(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^\s+add\b", output);
        Assert.DoesNotMatch(@"(?m)^\s+reindex\b", output);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("serve")]
    [InlineData("--Kiosque:Demo=true", "migrat")]
    public async Task An_unknown_verb_is_an_error_that_names_it(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.NotEqual(0, code);
        Assert.Contains($"'{args[^1]}'", error, StringComparison.Ordinal);
    }

    /// <summary>The real executable, as an operator types it: it answers and exits, creating nothing.</summary>
    [Theory]
    [InlineData(0, "--help")]
    [InlineData(0, "-h")]
    [InlineData(0, "help")]
    [InlineData(1, "frobnicate")]
    public async Task The_executable_answers_and_exits_without_starting_the_server(int expectedCode, string word)
    {
        var folder = Directory.CreateTempSubdirectory("kiosque-help-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // A server would listen here; the test fails on its timeout rather than on a port clash.
                Environment = { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" },
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kiosque.dll"));
            start.ArgumentList.Add(word);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"kiosque {word} was still running after 60 s (the web server started?): {await output}");
            }

            Assert.Equal(expectedCode, process.ExitCode);
            if (expectedCode == 0)
            {
                Assert.Contains("reindex", await output, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(word, await error, StringComparison.Ordinal);
            }
            // No data folder, database or search index: answering help touches nothing.
            Assert.Empty(folder.EnumerateFileSystemInfos());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var terminal = new CliTerminal(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }), TextReader.Null, output, error, InputRedirected: true);
        var code = await KiosqueCli.RunAsync(args, terminal: terminal);
        return (code, output.ToString(), error.ToString());
    }
}
