using AngleSharp.Html.Parser;
using Kiosque.Cli;
using Kiosque.Content;
using Kiosque.Media;
using Kiosque.Mirror;
using Kiosque.Tests.Cli;
using Kiosque.Tests.Infrastructure;
using Kiosque.Tests.Media;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Mirror;

/// <summary>
/// <c>kiosque keys generate</c>, <c>kiosque export mirror</c> and <c>kiosque verify</c> run as an
/// operator would, against a live site's data directory and database; the mirror is checked as
/// readers' tools see it (Debian's minisign, the HTML's links).
/// </summary>
[Collection(ConsoleVerbs.Name)]
public abstract class MirrorExportTests(KiosqueFactory site) : IDisposable
{
    private const string Passphrase = "phrase de passe du test";
    private readonly TestContent _content = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("kiosque-mirror-").FullName;

    private string Keys => Path.Combine(_folder, "keys");

    private string Out => Path.Combine(_folder, "miroir");

    [Fact]
    public async Task An_export_is_a_signed_edition_minisign_accepts_and_any_changed_byte_is_caught()
    {
        var (article, _) = await PublishAsync("Signé");
        await GenerateKeysAsync();

        var (code, output) = await RunAsync("export", "mirror", Out, "--key", Path.Combine(Keys, "minisign.key"));

        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(Out, "article", article.Slug, "index.html")), output);
        var (verified, minisign) = await MinisignTool.RunAsync(Out, null, "-Vm", "SHA256SUMS", "-p", Path.Combine(Keys, "minisign.pub"));
        Assert.True(verified == 0, minisign);
        Assert.Contains("edition:1", minisign);
        Assert.Equal(0, (await RunAsync("verify", Out, "--pub", Path.Combine(Keys, "minisign.pub"))).Code);

        // One byte of a page: the signed list no longer matches it.
        var page = Path.Combine(Out, "article", article.Slug, "index.html");
        var bytes = File.ReadAllBytes(page);
        bytes[^3] ^= 1;
        File.WriteAllBytes(page, bytes);
        var (tampered, report) = await RunAsync("verify", Out, "--pub", Path.Combine(Keys, "minisign.pub"));
        Assert.Equal(1, tampered);
        Assert.Contains($"article/{article.Slug}/index.html: changed", report);

        // One byte of the list itself: minisign refuses it.
        var sums = File.ReadAllBytes(Path.Combine(Out, "SHA256SUMS"));
        sums[5] = (byte)(sums[5] == (byte)'0' ? '1' : '0');
        File.WriteAllBytes(Path.Combine(Out, "SHA256SUMS"), sums);
        var (refused, _) = await MinisignTool.RunAsync(Out, null, "-Vm", "SHA256SUMS", "-p", Path.Combine(Keys, "minisign.pub"));
        Assert.NotEqual(0, refused);
    }

    [Fact]
    public async Task Mirror_pages_link_relatively_and_load_nothing_from_another_host()
    {
        var (article, picture) = await PublishAsync("Relatif", withPicture: true);
        await GenerateKeysAsync();

        var (code, output) = await RunAsync("export", "mirror", Out, "--key", Path.Combine(Keys, "minisign.key"));
        Assert.True(code == 0, output);

        var parser = new HtmlParser();
        var pages = Directory.EnumerateFiles(Out, "*.html", SearchOption.AllDirectories).ToList();
        Assert.Contains(pages, p => p.EndsWith(Path.Combine("article", article.Slug, "index.html"), StringComparison.Ordinal));
        foreach (var page in pages)
        {
            var document = parser.ParseDocument(File.ReadAllText(page));
            Assert.Null(document.QuerySelector("form[action]"));
            foreach (var element in document.QuerySelectorAll("[href], [src], [srcset], [action]"))
            {
                var urls = new[] { element.GetAttribute("href"), element.GetAttribute("src"), element.GetAttribute("action") }
                    .Concat((element.GetAttribute("srcset") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.Split(' ')[0]))
                    .OfType<string>().Where(u => u.Length > 0);
                var loads = element.LocalName is "img" or "source" or "script" or "iframe" || (element.LocalName == "link" && element.GetAttribute("rel") is "stylesheet" or "icon");
                foreach (var url in urls)
                {
                    Assert.False(url.StartsWith('/'), $"{page}: {url} is not relative");
                    Assert.DoesNotContain("localhost", url, StringComparison.Ordinal);
                    Assert.DoesNotContain("mirror.invalid", url.Split('?')[0], StringComparison.Ordinal);
                    if (loads || !url.Contains(':', StringComparison.Ordinal))
                    {
                        // Everything the page loads, and every link inside the mirror, is a file of the mirror.
                        Assert.False(url.Contains(':', StringComparison.Ordinal), $"{page} loads {url} from another host");
                        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(url.Split('#')[0])));
                        Assert.True(url.StartsWith('#') || File.Exists(target), $"{page} links to {url}, which the mirror does not have");
                    }
                }
            }
        }
        var articlePage = parser.ParseDocument(File.ReadAllText(Path.Combine(Out, "article", article.Slug, "index.html")));
        Assert.NotNull(picture);
        Assert.Contains(articlePage.QuerySelectorAll("img"), img => img.GetAttribute("src")?.StartsWith("../../media/", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_second_run_requests_only_what_changed_and_removes_the_unpublished()
    {
        // Sections made before the first run: a new one changes every page's navigation. The kept
        // article is alone in its own, so no page it shows changes.
        var section = _content.Section();
        var (kept, _) = await PublishAsync("Gardé");
        var (removed, _) = await PublishAsync("Retiré ensuite", section: section);
        await GenerateKeysAsync();
        var key = Path.Combine(Keys, "minisign.key");
        Assert.Equal(0, (await RunAsync("export", "mirror", Out, "--key", key)).Code);
        var removedPage = Path.Combine(Out, "article", removed.Slug, "index.html");
        Assert.True(File.Exists(removedPage));
        var keptPage = Path.Combine(Out, "article", kept.Slug, "index.html");
        var keptWritten = File.GetLastWriteTimeUtc(keptPage);

        await site.WithDbAsync(async db =>
        {
            (await db.Articles.SingleAsync(a => a.Id == removed.Id)).Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        });
        var (published, _) = await PublishAsync("Publié entre deux éditions", section: section);
        var (code, output) = await RunAsync("export", "mirror", Out, "--key", key);

        Assert.True(code == 0, output);
        Assert.Contains("Edition 2", output);
        Assert.False(File.Exists(removedPage), "the unpublished article is still in the mirror");
        Assert.True(File.Exists(Path.Combine(Out, "article", published.Slug, "index.html")));
        var home = File.ReadAllText(Path.Combine(Out, "index.html"));
        Assert.DoesNotContain(removed.Slug, home);
        Assert.Contains(published.Slug, home);
        Assert.Equal(keptWritten, File.GetLastWriteTimeUtc(keptPage));
        var manifest = MirrorManifest.Read(Out)!;
        Assert.DoesNotContain(manifest.Files.Keys, f => f.Contains(removed.Slug, StringComparison.Ordinal));
        Assert.Contains(" unchanged", output);
        Assert.Equal(0, (await RunAsync("verify", Out, "--pub", Path.Combine(Keys, "minisign.pub"), "--min-edition", "2")).Code);
    }

    [Fact]
    public async Task A_rolled_back_edition_and_a_file_outside_the_edition_are_refused()
    {
        await PublishAsync("Édition");
        await GenerateKeysAsync();
        var key = Path.Combine(Keys, "minisign.key");
        var pub = Path.Combine(Keys, "minisign.pub");
        Assert.Equal(0, (await RunAsync("export", "mirror", Out, "--key", key)).Code);
        var first = (File.ReadAllBytes(Path.Combine(Out, "SHA256SUMS")), File.ReadAllBytes(Path.Combine(Out, "SHA256SUMS.minisig")));
        Assert.Equal(0, (await RunAsync("export", "mirror", Out, "--key", key)).Code);

        var (stale, report) = await RunAsync("verify", Out, "--pub", pub, "--min-edition", "3");
        Assert.Equal(1, stale);
        Assert.Contains("rolled back", report);

        File.WriteAllText(Path.Combine(Out, "article", "faux.html"), "<p>Fausse page</p>");
        var (extra, extraReport) = await RunAsync("verify", Out, "--pub", pub);
        Assert.Equal(1, extra);
        Assert.Contains("article/faux.html: not part of the signed edition", extraReport);
        File.Delete(Path.Combine(Out, "article", "faux.html"));

        // Another key's public key: the signature is not the newsroom's.
        var other = MinisignSecretKey.Generate();
        File.WriteAllText(Path.Combine(_folder, "autre.pub"), other.PublicKey.FileText);
        Assert.Equal(1, (await RunAsync("verify", Out, "--pub", Path.Combine(_folder, "autre.pub"))).Code);
        _ = first;
    }

    [Fact]
    public async Task A_first_run_cut_short_is_taken_up_by_the_next()
    {
        await PublishAsync("Interrompu");
        await GenerateKeysAsync();
        // What kill -9 leaves: the manifest a first run writes before any page, pages already
        // renamed into place, and a file still being written aside.
        var staging = Path.Combine(Out, MirrorExport.StagingFolder);
        Directory.CreateDirectory(staging);
        new MirrorManifest().Write(Out, staging);
        File.WriteAllText(Path.Combine(staging, "moitie"), "<html><bo");
        File.WriteAllText(Path.Combine(Out, "index.html"), "<p>Une ancienne page</p>");

        var (code, output) = await RunAsync("export", "mirror", Out, "--key", Path.Combine(Keys, "minisign.key"));

        Assert.True(code == 0, output);
        Assert.Contains("Edition 1", output);
        Assert.False(Directory.Exists(staging));
        Assert.DoesNotContain("Une ancienne page", File.ReadAllText(Path.Combine(Out, "index.html")));
        Assert.Equal(0, (await RunAsync("verify", Out, "--pub", Path.Combine(Keys, "minisign.pub"))).Code);
    }

    [Fact]
    public async Task A_folder_with_other_files_is_never_written_into_and_a_wrong_key_is_a_clear_error()
    {
        await GenerateKeysAsync();
        var key = Path.Combine(Keys, "minisign.key");
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "à garder");

        var (code, output) = await RunAsync("export", "mirror", Out, "--key", key);

        Assert.Equal(2, code);
        Assert.Contains("not a Kiosque mirror", output);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal("à garder", File.ReadAllText(Path.Combine(Out, "notes.txt")));

        var empty = Path.Combine(_folder, "vide");
        var (missing, missingOutput) = await RunAsync("export", "mirror", empty, "--key", key + ".absent");
        Assert.Equal(2, missing);
        Assert.Contains("not found", missingOutput);
        var (wrong, wrongOutput) = await RunAsync(new Dictionary<string, string?> { [MirrorCommands.PassphraseVariable] = "pas la bonne" }, "export", "mirror", empty, "--key", key);
        Assert.Equal(2, wrong);
        Assert.Contains("Wrong passphrase", wrongOutput);
        Assert.False(Directory.Exists(empty));
    }

    private async Task<(Article Article, MediaAsset? Picture)> PublishAsync(string headline, bool withPicture = false, Section? section = null)
    {
        MediaAsset? picture = null;
        if (withPicture)
        {
            picture = await site.IngestAsync(TestImages.Jpeg(800, 500), new MediaUpload("miroir.jpg", "Iris Volk", "Une place.", "Une place"));
        }
        var article = _content.Article(section ?? _content.Section(), headline, TestContent.Now.AddMinutes(-10));
        article.HeroMediaId = picture?.Id;
        await site.WithDbAsync(db => TestContent.SaveAsync(db, article));
        return (article, picture);
    }

    private async Task GenerateKeysAsync() =>
        Assert.Equal(0, (await RunAsync("keys", "generate", "--out", Keys)).Code);

    private Task<(int Code, string Output)> RunAsync(params string[] verb) => RunAsync(null, verb);

    /// <summary>The verb with the site's own data directory and database, and the passphrase in the environment, as a cron job would run it.</summary>
    private async Task<(int Code, string Output)> RunAsync(Dictionary<string, string?>? environment, params string[] verb)
    {
        site.SkipIfUnavailable();
        string[] options = site.Kind == DatabaseKind.Postgres
            ? [$"--Kiosque:DataDirectory={site.DataDirectory}", "--Database:Provider=Postgres", $"--ConnectionStrings:Kiosque={site.ConnectionString}"]
            : [$"--Kiosque:DataDirectory={site.DataDirectory}"];
        var saved = Environment.GetEnvironmentVariable(MirrorCommands.PassphraseVariable);
        Environment.SetEnvironmentVariable(MirrorCommands.PassphraseVariable, environment?.GetValueOrDefault(MirrorCommands.PassphraseVariable) ?? Passphrase);
        try
        {
            using var output = new StringWriter();
            var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(output),
                Interactive = Spectre.Console.InteractionSupport.No,
                Ansi = Spectre.Console.AnsiSupport.No,
            });
            var terminal = new CliTerminal(console, new StringReader(""), output, output, InputRedirected: true);
            var code = await KiosqueCli.RunAsync([.. verb, .. options], terminal: terminal);
            return (code, output.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(MirrorCommands.PassphraseVariable, saved);
        }
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class MirrorExportSqliteTests(SqliteSite site) : MirrorExportTests(site), IClassFixture<SqliteSite>;

public sealed class MirrorExportPostgresTests(PostgresSite site) : MirrorExportTests(site), IClassFixture<PostgresSite>;
