using System.Buffers.Binary;
using System.Text;
using NSec.Cryptography;

namespace Kiosque.Mirror;

/// <summary>
/// A minisign public key: <c>"Ed"</c>, an 8-byte key id and the 32-byte Ed25519 key, in base64
/// under an untrusted comment, as <c>minisign -G</c> writes <c>minisign.pub</c>.
/// </summary>
public sealed record MinisignPublicKey(byte[] KeyId, byte[] Key)
{
    /// <summary>The id as minisign prints it: the key id read as a little-endian number, in hexadecimal.</summary>
    public string Id => BinaryPrimitives.ReadUInt64LittleEndian(KeyId).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The base64 line alone, what <c>minisign -P</c> takes.</summary>
    public string Base64 => Convert.ToBase64String([.. "Ed"u8, .. KeyId, .. Key]);

    public string FileText => $"untrusted comment: minisign public key {Id}\n{Base64}\n";

    public PublicKey ToNSec() => PublicKey.Import(SignatureAlgorithm.Ed25519, Key, KeyBlobFormat.RawPublicKey);

    public static MinisignPublicKey ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new MinisignException($"Public key file not found: {path}");
        }
        return Parse(File.ReadAllText(path, Encoding.UTF8));
    }

    /// <summary>The file's text, or the base64 line alone.</summary>
    public static MinisignPublicKey Parse(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("untrusted comment:", StringComparison.Ordinal));
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(line ?? "");
        }
        catch (FormatException)
        {
            throw new MinisignException("Not a minisign public key (its key line is not base64).");
        }
        if (bytes.Length != 42 || bytes[0] != 'E' || bytes[1] != 'd')
        {
            throw new MinisignException("Not a minisign Ed25519 public key.");
        }
        return new MinisignPublicKey(bytes[2..10], bytes[10..42]);
    }
}
