using System.CommandLine;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Demo;
using Kiosque.Media;
using Kiosque.Mirror;
using Kiosque.Newsroom;
using Kiosque.Search;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Kiosque.Cli;

/// <summary>
/// The admin verbs of the one executable: <c>kiosque migrate</c>, <c>kiosque demo generate</c>,
/// <c>kiosque user add</c>, <c>kiosque media add</c>, <c>kiosque reindex</c>, and <c>kiosque help</c>
/// (or <c>--help</c>, <c>-h</c>). Configuration options alone (<c>--Kiosque:DataDirectory=…</c>,
/// <c>--urls …</c>) start the web server; any other word is a verb, and an unknown one is an error
/// rather than a server started by a typo. Configuration options work with both.
/// </summary>
public static class KiosqueCli
{
    /// <summary><c>--demo</c> is short for <c>--Kiosque:Demo=true</c>.</summary>
    public static string[] Normalize(string[] args) =>
        args.Select(a => a == "--demo" ? "--Kiosque:Demo=true" : a).ToArray();

    /// <summary>Asking for help (in any of the ways people try) or the version: answered, never taken for configuration.</summary>
    private static readonly HashSet<string> HelpWords = ["help", "--help", "-h", "-?", "/?", "/h", "--version"];

    /// <summary>
    /// True when the arguments are more than configuration: a verb (known or not, whether
    /// configuration options come before it or after) or a request for help. Only configuration
    /// starts the web server.
    /// </summary>
    public static bool IsVerb(string[] args) => Split(args).Verb.Length > 0;

    /// <summary>
    /// Separates configuration options from the verb and its own options. Before the verb every
    /// <c>--key</c> and <c>key=value</c> is configuration, as .NET's command-line configuration reads
    /// it: <c>--key=value</c>, <c>key=value</c>, or <c>--key value</c> taking the next argument; so in <c>--Kiosque:DataDirectory /srv migrate</c>
    /// the verb is <c>migrate</c>, not <c>/srv</c>. After the verb, only <c>--Section:Key</c> options
    /// (they have a colon; the verb's own, like <c>--articles</c>, do not) are configuration.
    /// </summary>
    public static (string[] Config, string[] Verb) Split(string[] args)
    {
        var config = new List<string>();
        var verb = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var beforeVerb = verb.Count == 0;
            var isConfig = !HelpWords.Contains(arg) && (beforeVerb
                ? arg.StartsWith("--", StringComparison.Ordinal) || arg.Contains('=', StringComparison.Ordinal)
                : arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal));
            if (isConfig)
            {
                config.Add(arg);
                if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=', StringComparison.Ordinal)
                    && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    config.Add(args[++i]);
                }
            }
            else if (beforeVerb && arg == "help")
            {
                // "kiosque help" and "kiosque help user" are "--help" and "user --help" to System.CommandLine.
                verb.AddRange(args.Skip(i + 1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)));
                verb.Add("--help");
                break;
            }
            else
            {
                // A known verb, help, or a word nothing knows: the verb parser answers it (an
                // unknown word gets an error and a non-zero exit code, never a web server).
                verb.Add(arg);
            }
        }
        return ([.. config], [.. verb]);
    }

    /// <param name="input">Where a password is read from, as from a pipe; standard input unless a test gives one.</param>
    /// <param name="terminal">The operator's console; the process's own unless a test gives one.</param>
    public static async Task<int> RunAsync(string[] args, TextReader? input = null, CliTerminal? terminal = null)
    {
        terminal ??= input is null ? CliTerminal.Standard() : CliTerminal.Standard() with { In = input, InputRedirected = true };
        // Configuration (--Section:Key=value, before or after the verb) goes to the host; the rest is the verb's.
        var (configArgs, verbArgs) = Split(args);
        // Built when a verb runs, not before: help and a mistyped verb answer without creating the
        // data folder or its database (registering the SQLite database creates its folder).
        IHost? built = null;
        IServiceProvider Services()
        {
            if (built is null)
            {
                var builder = Host.CreateApplicationBuilder(configArgs);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddKiosqueCore(builder.Configuration);
                built = builder.Build();
            }
            return built.Services;
        }

        var migrate = new Command("migrate", "Apply pending database migrations.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = Services().CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KiosqueDb>().MigrateAsync(cancellationToken);
            AnsiConsole.MarkupLine("[green]Database up to date.[/]");
            return 0;
        });

        var seed = new Command("seed", "Seed the demo newsroom into an empty database.");
        seed.SetAction(async (_, cancellationToken) =>
        {
            await Services().PrepareDatabaseAsync(cancellationToken);
            await using var scope = Services().CreateAsyncScope();
            var seeded = await scope.ServiceProvider.SeedDemoAsync(cancellationToken);
            AnsiConsole.MarkupLine(seeded ? "[green]Demo newsroom seeded.[/]" : "[yellow]The database already has content: nothing seeded.[/]");
            return 0;
        });

        var articles = new Option<int>("--articles") { Description = "How many articles to add.", DefaultValueFactory = _ => 10_000 };
        var generate = new Command("generate", "Add many generated French-like articles, for benchmarks.") { articles };
        generate.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(articles);
            if (count is < 1 or > 10_000_000)
            {
                await Console.Error.WriteLineAsync("--articles must be between 1 and 10,000,000.");
                return 2;
            }
            await Services().PrepareDatabaseAsync(cancellationToken);
            await using var scope = Services().CreateAsyncScope();
            var generator = scope.ServiceProvider.GetRequiredService<DemoGenerator>();
            var started = System.Diagnostics.Stopwatch.StartNew();
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Articles", maxValue: count);
                    await generator.GenerateAsync(count, done => task.Increment(done), cancellationToken);
                });
            AnsiConsole.MarkupLine($"[green]{count:N0} articles added in {started.Elapsed.TotalSeconds:F1} s.[/]");
            return 0;
        });
        var slug = new Option<string>("--slug") { Description = "The article to publish.", Required = true };
        var headline = new Option<string?>("--headline") { Description = "A new headline for it." };
        var publish = new Command("publish", "Publish an article now, on top of the home page (benchmarks of publish-to-visible).") { slug, headline };
        publish.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = Services().CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            var article = await db.Articles.FirstOrDefaultAsync(a => a.Slug == parse.GetValue(slug), cancellationToken);
            if (article is null)
            {
                await Console.Error.WriteLineAsync($"No article has the slug '{parse.GetValue(slug)}'.");
                return 2;
            }
            var text = parse.GetValue(headline);
            if (!string.IsNullOrWhiteSpace(text))
            {
                article.Headline = text.Trim();
            }
            article.Status = ArticleStatus.Published;
            article.PublishedAt = article.UpdatedAt = DateTime.UtcNow;
            await db.SaveChangesAsync(cancellationToken);
            // Printed plainly, for the benchmark script to time from the commit.
            Console.WriteLine($"published-at-ms={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
            return 0;
        });
        var demo = new Command("demo", "The demo newsroom.") { seed, generate, publish };

        var email = new Option<string>("--email") { Description = "The sign-in address.", Required = true };
        var name = new Option<string>("--name") { Description = "The name shown in the newsroom.", Required = true };
        var role = new Option<string>("--role") { Description = "contributor, editor or admin.", Required = true };
        var add = new Command("add", "Create a newsroom account; the password is read from standard input, or asked for at a terminal.") { email, name, role };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var roleName = parse.GetValue(role)!.Trim().ToLowerInvariant();
            if (!Roles.IsKnown(roleName))
            {
                await terminal.Error.WriteLineAsync($"--role must be one of: {string.Join(", ", Roles.All)}.");
                return 2;
            }
            var (password, refusal) = await ReadPasswordAsync(terminal);
            if (password is null)
            {
                await terminal.Error.WriteLineAsync(refusal);
                return 2;
            }
            await Services().PrepareDatabaseAsync(cancellationToken);
            await using var scope = Services().CreateAsyncScope();
            var (user, errors) = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(parse.GetValue(email)!, parse.GetValue(name)!, roleName, password);
            if (user is null)
            {
                foreach (var error in errors)
                {
                    await terminal.Error.WriteLineAsync(error);
                }
                return 1;
            }
            terminal.Console.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[green]Account {user.Email} ({roleName}) created.[/]");
            return 0;
        });
        var user = new Command("user", "Newsroom accounts.") { add };

        var reindex = new Command("reindex", "Rebuild the search index from the database, beside the live one, then switch to it (searches go on meanwhile).");
        reindex.SetAction(async (_, cancellationToken) =>
        {
            await using (var scope = Services().CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<KiosqueDb>().MigrateAsync(cancellationToken);
            }
            var searchRoot = Services().GetRequiredService<SearchIndex>().Root;
            var scopes = Services().GetRequiredService<IServiceScopeFactory>();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var name = "";
            var count = 0;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Articles indexed", maxValue: 1);
                    name = await SearchRebuild.RunAsync(scopes, searchRoot, (done, total) =>
                    {
                        if (done == 0)
                        {
                            task.MaxValue = Math.Max(1, total);
                        }
                        count += done;
                        task.Increment(done);
                    }, cancellationToken);
                    task.Value = task.MaxValue;
                });
            AnsiConsole.MarkupLine($"[green]{count:N0} articles indexed in {started.Elapsed.TotalSeconds:F1} s ({Markup.Escape(name)}).[/] A running server switches to it within seconds.");
            return 0;
        });

        var root = new RootCommand(
            "Kiosque: a publishing platform for newsrooms. Without a verb, kiosque serves the site, "
            + "the newsroom and the API (configuration options such as --urls http://127.0.0.1:8080, "
            + "--demo or --Kiosque:DataDirectory=PATH; see docs/operations.md). With a verb, it runs "
            + "that admin task and exits.")
        {
            migrate, demo, user, MediaCommands.Create(Services), reindex,
            MirrorCommands.Keys(terminal), MirrorCommands.Export(Services, configArgs, terminal), MirrorCommands.Verify(Services, terminal),
        };
        try
        {
            return await root.Parse(verbArgs).InvokeAsync(new InvocationConfiguration { Output = terminal.Out, Error = terminal.Error }, CancellationToken.None);
        }
        finally
        {
            built?.Dispose();
        }
    }

    /// <summary>A pipe or a file gives the first line; a terminal is asked twice, without echo.</summary>
    /// <returns>The password, or null and why there is none.</returns>
    private static async Task<(string? Password, string Refusal)> ReadPasswordAsync(CliTerminal terminal)
    {
        const string none = "No password given: every account needs one (there is no default password).";
        if (terminal.InputRedirected)
        {
            var line = (await terminal.In.ReadLineAsync())?.TrimEnd('\r');
            return string.IsNullOrEmpty(line) ? (null, none) : (line, "");
        }
        var first = await terminal.Console.PromptAsync(new TextPrompt<string>("Password (12 characters or more):").Secret());
        var second = await terminal.Console.PromptAsync(new TextPrompt<string>("Password again:").Secret());
        if (first != second)
        {
            return (null, "The two passwords differ: no account was created. Run the command again.");
        }
        return string.IsNullOrEmpty(first) ? (null, none) : (first, "");
    }
}

/// <summary>
/// Where the verbs meet the operator: the console to prompt and report on, standard input and
/// error, and whether input comes from a pipe rather than a person (which decides how a password
/// is read). Tests give their own.
/// </summary>
public sealed record CliTerminal(IAnsiConsole Console, TextReader In, TextWriter Out, TextWriter Error, bool InputRedirected)
{
    public static CliTerminal Standard() => new(AnsiConsole.Console, global::System.Console.In, global::System.Console.Out, global::System.Console.Error, global::System.Console.IsInputRedirected);
}
