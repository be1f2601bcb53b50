namespace Kiosque.Media;

/// <summary>The <c>Kiosque:Media:S3</c> settings, read when <c>Kiosque:Media:Store</c> is <c>s3</c>.</summary>
public sealed class S3MediaOptions
{
    /// <summary>The S3-compatible endpoint, e.g. <c>https://s3.example.net</c> or a MinIO, Garage or Ceph address.</summary>
    public string ServiceUrl { get; set; } = "";

    public string Bucket { get; set; } = "";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>The region the signature names; most S3-compatible servers accept any.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Prefix of every key, to share a bucket with other data (e.g. <c>kiosque/</c>).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>How long one request may take before the store counts as unreachable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}
