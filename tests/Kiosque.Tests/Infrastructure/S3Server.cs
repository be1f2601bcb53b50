using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server (npm's s3rver, installed at the repository's root by
/// <c>npm ci</c>) on a free loopback port, with one bucket; stopped and started again by the tests
/// that prove the site survives the bucket going away.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "kiosque";
    private const string Key = "S3RVER";

    private readonly string _data = Directory.CreateTempSubdirectory("kiosque-s3-").FullName;
    private readonly int _port = FreePort();
    private Process? _process;

    public string Url => $"http://127.0.0.1:{_port}";

    /// <summary>The settings that put a site's media in this server's bucket.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kiosque:Media:Store"] = "s3",
        ["Kiosque:Media:S3:ServiceUrl"] = Url,
        ["Kiosque:Media:S3:Bucket"] = Bucket,
        ["Kiosque:Media:S3:AccessKey"] = Key,
        ["Kiosque:Media:S3:SecretKey"] = Key,
        // A stopped server must make an upload fail within the test's patience, not the SDK's default.
        ["Kiosque:Media:S3:Timeout"] = "00:00:05",
    };

    public async ValueTask InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        var script = Path.Combine(RepositoryFiles.Root, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed ({script}): run `npm ci --ignore-scripts` at the repository's root, as scripts/test.sh does.");
        }
        var start = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { script, "-d", _data, "-a", "127.0.0.1", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", Bucket, "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await AcceptsAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"s3rver did not start on {Url}.");
            }
            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>A client of its own, to read back what the site stored: s3rver can keep bytes the SDK framed, so tests compare them.</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials(Key, Key), new AmazonS3Config
    {
        ServiceURL = Url,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task<byte[]?> ReadAsync(string key)
    {
        using var client = Client();
        try
        {
            using var response = await client.GetObjectAsync(Bucket, key);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the server's last write: the temporary folder is cleaned by the system.
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, _port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
