using System.Text;
using NSec.Cryptography;

namespace Kiosque.Mirror;

/// <summary>
/// A <c>.minisig</c> file: an untrusted comment, <c>"ED"</c> (or legacy <c>"Ed"</c>) with the key
/// id and the Ed25519 signature of the file's BLAKE2b-512 (legacy: of the file itself), the trusted
/// comment, and a second signature over the first signature and the trusted comment, so the
/// comment (here the edition's time and sequence number) cannot be changed or replayed alone.
/// </summary>
public static class MinisignSignature
{
    private const string TrustedPrefix = "trusted comment: ";

    /// <summary>A prehashed signature, what minisign 0.11 writes by default.</summary>
    public static string Sign(MinisignSecretKey key, byte[] message, string trustedComment, string untrustedComment)
    {
        if (trustedComment.Contains('\n', StringComparison.Ordinal) || untrustedComment.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("Comments are single lines.");
        }
        var signature = key.Sign(HashAlgorithm.Blake2b_512.Hash(message));
        var global = key.Sign([.. signature, .. Encoding.UTF8.GetBytes(trustedComment)]);
        return $"untrusted comment: {untrustedComment}\n{Convert.ToBase64String([.. "ED"u8, .. key.KeyId, .. signature])}\n"
            + $"{TrustedPrefix}{trustedComment}\n{Convert.ToBase64String(global)}\n";
    }

    /// <summary>Checks both signatures, prehashed or legacy, as <c>minisign -V</c> does.</summary>
    /// <returns>The trusted comment, now known to be the key holder's.</returns>
    public static string Verify(MinisignPublicKey key, byte[] message, string signatureText)
    {
        var lines = signatureText.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Length < 4 || !lines[0].StartsWith("untrusted comment:", StringComparison.Ordinal) || !lines[2].StartsWith(TrustedPrefix, StringComparison.Ordinal))
        {
            throw new MinisignException("Not a minisign signature file.");
        }
        byte[] signature, global;
        try
        {
            signature = Convert.FromBase64String(lines[1].Trim());
            global = Convert.FromBase64String(lines[3].Trim());
        }
        catch (FormatException)
        {
            throw new MinisignException("The signature file is damaged (not base64).");
        }
        if (signature.Length != 74 || global.Length != 64 || signature[0] != 'E' || signature[1] is not ((byte)'d' or (byte)'D'))
        {
            throw new MinisignException("The signature file is damaged or uses an algorithm minisign does not know.");
        }
        if (!signature.AsSpan(2, 8).SequenceEqual(key.KeyId))
        {
            var id = new MinisignPublicKey(signature[2..10], key.Key).Id;
            throw new MinisignException($"Signed with key {id}, not with the public key given ({key.Id}).");
        }
        var publicKey = key.ToNSec();
        var signed = signature[1] == 'D' ? HashAlgorithm.Blake2b_512.Hash(message) : message;
        if (!SignatureAlgorithm.Ed25519.Verify(publicKey, signed, signature.AsSpan(10)))
        {
            throw new MinisignException("Signature verification failed: the file was changed after it was signed.");
        }
        var trusted = lines[2][TrustedPrefix.Length..];
        if (!SignatureAlgorithm.Ed25519.Verify(publicKey, [.. signature.AsSpan(10), .. Encoding.UTF8.GetBytes(trusted)], global))
        {
            throw new MinisignException("The trusted comment was changed after it was signed.");
        }
        return trusted;
    }
}
