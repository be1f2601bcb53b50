using System.CommandLine;
using Kiosque.Data;
using Kiosque.Demo;
using Kiosque.Search;
using Spectre.Console;

namespace Kiosque.Cli;

/// <summary>
/// The admin verbs of the one executable: <c>kiosque migrate</c>, <c>kiosque demo generate</c>,
/// <c>kiosque reindex</c>.
/// Anything else starts the web server. Configuration options (<c>--Kiosque:DataDirectory=…</c>)
/// work with both.
/// </summary>
public static class KiosqueCli
{
    private static readonly HashSet<string> Verbs = ["migrate", "demo", "reindex"];

    /// <summary><c>--demo</c> is short for <c>--Kiosque:Demo=true</c>.</summary>
    public static string[] Normalize(string[] args) =>
        args.Select(a => a == "--demo" ? "--Kiosque:Demo=true" : a).ToArray();

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        // Configuration keys (--Section:Key=value) go to the host; the rest is the verb's.
        var configArgs = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal)).ToArray();
        var verbArgs = args.Except(configArgs).ToArray();
        var builder = Host.CreateApplicationBuilder(configArgs);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddKiosqueCore(builder.Configuration);
        using var host = builder.Build();

        var migrate = new Command("migrate", "Apply pending database migrations.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KiosqueDb>().MigrateAsync(cancellationToken);
            AnsiConsole.MarkupLine("[green]Database up to date.[/]");
            return 0;
        });

        var seed = new Command("seed", "Seed the demo newsroom into an empty database.");
        seed.SetAction(async (_, cancellationToken) =>
        {
            await host.Services.PrepareDatabaseAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoNewsroom>().SeedIfEmptyAsync(cancellationToken);
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
            await host.Services.PrepareDatabaseAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
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
        var demo = new Command("demo", "The demo newsroom.") { seed, generate };

        var reindex = new Command("reindex", "Rebuild the search index from the database, beside the live one, then switch to it (searches go on meanwhile).");
        reindex.SetAction(async (_, cancellationToken) =>
        {
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<KiosqueDb>().MigrateAsync(cancellationToken);
            }
            var searchRoot = host.Services.GetRequiredService<SearchIndex>().Root;
            var scopes = host.Services.GetRequiredService<IServiceScopeFactory>();
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

        var root = new RootCommand("Kiosque: serve the site (no verb) or run an admin verb.") { migrate, demo, reindex };
        return await root.Parse(verbArgs).InvokeAsync();
    }
}
