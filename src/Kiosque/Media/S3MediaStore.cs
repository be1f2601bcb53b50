using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Kiosque.Media;

/// <summary>
/// Media in an S3-compatible bucket, shared by every node: originals under <c>originals/</c>,
/// renditions under <c>public/</c>. Each node keeps the public files it serves in its own media
/// folder, filled on first request (<see cref="EnsureLocalAsync"/>) and on its own writes, so
/// <c>/media</c> is still served from disk and the bucket is asked once per file and node.
/// </summary>
/// <remarks>
/// Uploads are sent whole with a plain signature (no aws-chunked framing, no trailing checksum):
/// S3-compatible servers differ in what they make of the SDK's newer defaults, and some store the
/// framing inside the object without an error.
/// </remarks>
public sealed partial class S3MediaStore : IMediaStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3MediaOptions _options;
    private readonly LocalMediaStore _local;
    private readonly ILogger<S3MediaStore> _logger;

    public S3MediaStore(IOptions<MediaOptions> media, IOptions<KiosqueOptions> kiosque, ILogger<S3MediaStore> logger)
    {
        _options = media.Value.S3;
        _local = new LocalMediaStore(kiosque);
        _logger = logger;
        var config = new AmazonS3Config
        {
            ServiceURL = _options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = _options.Region,
            Timeout = _options.Timeout,
            MaxErrorRetry = 2,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _client = new AmazonS3Client(new BasicAWSCredentials(_options.AccessKey, _options.SecretKey), config);
    }

    public async Task SaveAsync(MediaArea area, string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var key = Key(area, path);
        await CallAsync("write", key, async () =>
        {
            using var body = new MemoryStream(bytes.ToArray(), writable: false);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                ContentType = ContentTypeOf(path),
            }, cancellationToken);
            return true;
        }, cancellationToken);
        if (area == MediaArea.Public)
        {
            await _local.SaveAsync(area, path, bytes, cancellationToken);
        }
    }

    public async Task<byte[]> ReadAsync(MediaArea area, string path, CancellationToken cancellationToken = default)
    {
        var key = Key(area, path);
        return await CallAsync("read", key, async () =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(_options.Bucket, key, cancellationToken);
                using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
                await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                throw new FileNotFoundException($"No media file '{path}' in the bucket.", path, exception);
            }
        }, cancellationToken);
    }

    public async Task<bool> ExistsAsync(MediaArea area, string path, CancellationToken cancellationToken = default)
    {
        var key = Key(area, path);
        return await CallAsync("look up", key, async () =>
        {
            try
            {
                await _client.GetObjectMetadataAsync(_options.Bucket, key, cancellationToken);
                return true;
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, cancellationToken);
    }

    public async Task DeleteAsync(MediaArea area, string path, CancellationToken cancellationToken = default)
    {
        var key = Key(area, path);
        await CallAsync("delete", key, async () =>
        {
            await _client.DeleteObjectAsync(_options.Bucket, key, cancellationToken);
            return true;
        }, cancellationToken);
        if (area == MediaArea.Public)
        {
            await _local.DeleteAsync(area, path, cancellationToken);
        }
    }

    public async Task<bool> EnsureLocalAsync(string path, CancellationToken cancellationToken = default)
    {
        if (await _local.EnsureLocalAsync(path, cancellationToken))
        {
            return true;
        }
        byte[] bytes;
        try
        {
            bytes = await ReadAsync(MediaArea.Public, path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        await _local.SaveAsync(MediaArea.Public, path, bytes, cancellationToken);
        return true;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Turns every way the bucket can fail (refused, unreachable, too slow) into one clear exception.</summary>
    private async Task<T> CallAsync<T>(string what, string key, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogStoreFailed(_logger, what, key, exception.Message);
            throw new MediaStoreException($"The media bucket could not {what} '{key}': {exception.Message}", exception);
        }
    }

    private string Key(MediaArea area, string path)
    {
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal)
            || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"'{path}' is not a media path.", nameof(path));
        }
        return _options.Prefix + (area == MediaArea.Public ? "public/" : "originals/") + path;
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".avif" => "image/avif",
        ".gif" => "image/gif",
        ".heic" => "image/heic",
        ".tif" or ".tiff" => "image/tiff",
        _ => "application/octet-stream",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media bucket: could not {What} {Key}: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string what, string key, string reason);
}
