using Kiosque.Cli;
using Kiosque.Data;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Tests.Media;

/// <summary><c>kiosque media add</c>, run as an operator would, on a fresh data directory and database of each kind.</summary>
[Collection(Kiosque.Tests.Cli.ConsoleVerbs.Name)]
public abstract class MediaCliTests(DatabaseKind kind) : IAsyncDisposable
{
    private readonly CliDatabase _database = new(kind, "media-cli");

    private string DataDirectory => _database.Directory;

    private string[] Args(params string[] verb) => _database.Args(verb);

    private string File(string name, byte[] bytes)
    {
        var path = Path.Combine(DataDirectory, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private KiosqueDb Db() => _database.Open();

    [Fact]
    public async Task Media_add_ingests_and_renders_at_once()
    {
        var photo = File("manif.jpg", TestImages.JpegWithGps(900, 600));

        Assert.Equal(0, await KiosqueCli.RunAsync(Args("media", "add", photo, "--credit", "Jan Ek / Collectif Nord", "--caption", "Le cortège.", "--alt", "Un cortège", "--focal", "0.3,0.4")));

        await using var db = Db();
        var medium = await db.Media.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("Jan Ek / Collectif Nord", "Le cortège.", "Un cortège", "manif.jpg"), (medium.Credit, medium.Caption, medium.Alt, medium.Name));
        Assert.Equal((0.3, 0.4), (medium.FocalX, medium.FocalY));
        Assert.False(medium.RenditionsPending);
        Assert.True(System.IO.File.Exists(Path.Combine(DataDirectory, "media", medium.RenditionsPath!, "w600.avif")));
        Assert.True(System.IO.File.Exists(Path.Combine(DataDirectory, "media", medium.CropsPath + "-16x9.jpg")));
    }

    [Fact]
    public async Task Media_add_refuses_bad_files_and_bad_options_with_a_non_zero_exit()
    {
        var pdf = File("scan.jpg", "%PDF-1.7\n%%EOF\n"u8.ToArray());
        var empty = File("vide.jpg", []);
        var good = File("bon.jpg", TestImages.Jpeg(500, 300));

        Assert.Equal(1, await KiosqueCli.RunAsync(Args("media", "add", pdf, "--alt", "x")));
        Assert.Equal(1, await KiosqueCli.RunAsync(Args("media", "add", empty)));
        Assert.Equal(2, await KiosqueCli.RunAsync(Args("media", "add", Path.Combine(DataDirectory, "absent.jpg"))));
        Assert.Equal(2, await KiosqueCli.RunAsync(Args("media", "add", good, "--focal", "2,0.5")));
        Assert.NotEqual(0, await KiosqueCli.RunAsync(Args("media", "add")));

        await using var db = Db();
        Assert.Equal(0, await db.Media.CountAsync(TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(DataDirectory, "originals")) && Directory.EnumerateFiles(Path.Combine(DataDirectory, "originals"), "*", SearchOption.AllDirectories).Any());
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _database.DisposeAsync();
    }
}

public sealed class MediaCliSqliteTests() : MediaCliTests(DatabaseKind.Sqlite);

public sealed class MediaCliPostgresTests() : MediaCliTests(DatabaseKind.Postgres);
