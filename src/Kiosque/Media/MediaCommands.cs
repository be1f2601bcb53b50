using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Kiosque.Content;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Kiosque.Media;

/// <summary><c>kiosque media add FILE… --credit … --caption … --alt …</c> and <c>kiosque media render</c>.</summary>
public static class MediaCommands
{
    /// <param name="host">The verbs' services, built when a verb runs (help builds nothing).</param>
    public static Command Create(Func<IServiceProvider> host)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Image files (JPEG, PNG, WebP, AVIF, GIF, HEIC).", Arity = ArgumentArity.OneOrMore };
        var credit = new Option<string?>("--credit") { Description = "Credit line, e.g. \"Iris Volk / Agence Delta\" (prefilled from the file's IPTC/XMP when omitted)." };
        var caption = new Option<string?>("--caption") { Description = "Caption (prefilled from the file's IPTC/XMP when omitted)." };
        var alt = new Option<string?>("--alt") { Description = "Alt text: what the picture shows, for readers who cannot see it." };
        var focal = new Option<string?>("--focal") { Description = "Focal point as X,Y between 0 and 1 from the top left (default 0.5,0.5)." };
        var add = new Command("add", "Add images to the media library and make their renditions now.") { files, credit, caption, alt, focal };
        add.SetAction((parse, cancellationToken) => AddAsync(host(), parse.GetValue(files)!, parse.GetValue(credit), parse.GetValue(caption), parse.GetValue(alt), parse.GetValue(focal), cancellationToken));

        var render = new Command("render", "Make every pending rendition now (what the server's background worker does).");
        render.SetAction(async (_, cancellationToken) =>
        {
            var services = host();
            UseSiteCulture(services);
            await services.PrepareDatabaseAsync(cancellationToken);
            return await RenderAsync(services, null, cancellationToken);
        });

        return new Command("media", "The media library.") { add, render };
    }

    private static async Task<int> AddAsync(IServiceProvider services, FileInfo[] files, string? credit, string? caption, string? alt, string? focal, CancellationToken cancellationToken)
    {
        UseSiteCulture(services);
        var text = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        double? focalX = null, focalY = null;
        if (focal is not null)
        {
            var parts = focal.Split(',');
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                || x is < 0 or > 1 || y is < 0 or > 1)
            {
                await Console.Error.WriteLineAsync(text["Media.Cli.BadFocal", focal]);
                return 2;
            }
            (focalX, focalY) = (x, y);
        }
        var missing = files.Where(f => !f.Exists).ToList();
        if (missing.Count > 0)
        {
            foreach (var file in missing)
            {
                await Console.Error.WriteLineAsync(text["Media.Cli.NotFound", file.FullName]);
            }
            return 2;
        }

        await services.PrepareDatabaseAsync(cancellationToken);
        var added = new List<int>();
        var refused = 0;
        foreach (var file in files)
        {
            await using var scope = services.CreateAsyncScope();
            var ingest = scope.ServiceProvider.GetRequiredService<MediaIngest>();
            await using var stream = file.OpenRead();
            var result = await ingest.IngestAsync(stream, new MediaUpload(file.Name, credit, caption, alt, focalX, focalY), cancellationToken);
            if (!result.Succeeded)
            {
                refused++;
                await Console.Error.WriteLineAsync($"{file.Name} : {result.Error}");
                continue;
            }
            var asset = result.Asset!;
            added.Add(asset.Id);
            AnsiConsole.MarkupLine(Markup.Escape(text["Media.Cli.Added", asset.Id, file.Name, asset.Width, asset.Height, Site.SiteFormat.MediaPath(asset.FileName)]));
            var lacking = new[] { (asset.Credit, "Media.Field.Credit"), (asset.Caption, "Media.Field.Caption"), (asset.Alt, "Media.Field.Alt") }
                .Where(f => string.IsNullOrWhiteSpace(f.Item1)).Select(f => text[f.Item2].Value).ToList();
            if (lacking.Count > 0)
            {
                AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(text["Media.Cli.Incomplete", string.Join(", ", lacking)]) + "[/]");
            }
        }
        var status = added.Count > 0 ? await RenderAsync(services, added, cancellationToken) : 0;
        return refused > 0 ? 1 : status;
    }

    /// <summary>Renditions made here and now, with a progress bar, then the figures: files per second and peak memory.</summary>
    private static async Task<int> RenderAsync(IServiceProvider services, List<int>? only, CancellationToken cancellationToken)
    {
        var text = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var worker = services.GetRequiredService<RenditionWorker>();
        var stopwatch = Stopwatch.StartNew();
        var progress = new BarProgress();
        var finished = 0;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                progress.Task = context.AddTask(Markup.Escape(text["Media.Cli.Renditions"]), maxValue: 1);
                finished = await worker.RunPendingAsync(only, progress, cancellationToken);
                progress.Task.Value = progress.Task.MaxValue;
            });
        var seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001);
        using var process = Process.GetCurrentProcess();
        var peak = process.PeakWorkingSet64 / (1024d * 1024d);
        AnsiConsole.MarkupLine("[green]" + Markup.Escape(text["Media.Cli.Rendered", finished, progress.Files, seconds.ToString("0.0", CultureInfo.CurrentCulture),
            (progress.Files / seconds).ToString("0.0", CultureInfo.CurrentCulture), peak.ToString("0", CultureInfo.CurrentCulture)]) + "[/]");
        if (only is not null && finished < only.Count)
        {
            await Console.Error.WriteLineAsync(text["Media.Cli.RenderFailed", only.Count - finished]);
            return 1;
        }
        return 0;
    }

    private static void UseSiteCulture(IServiceProvider services)
    {
        var culture = services.GetRequiredService<IOptions<KiosqueOptions>>().Value.CultureInfo;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
    }

    private sealed class BarProgress : IRenditionProgress
    {
        public ProgressTask? Task { get; set; }

        public int Files { get; private set; }

        private int _expected;

        public void Started(MediaAsset asset, int files)
        {
            _expected += files;
            if (Task is not null)
            {
                Task.MaxValue = _expected;
            }
        }

        public void FileDone()
        {
            Files++;
            Task?.Increment(1);
        }
    }
}
