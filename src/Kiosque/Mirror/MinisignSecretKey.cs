using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Kiosque.Mirror;

/// <summary>
/// A minisign secret key, read from and written to the file format <c>minisign -G</c> uses, so the
/// newsroom's key works with minisign itself and minisign's keys work here. The file is
/// <c>"Ed" "Sc" "B2"</c>, a 32-byte scrypt salt, scrypt's opslimit and memlimit (little-endian),
/// then the key id, the 64-byte libsodium secret key (seed and public key) and a BLAKE2b-256
/// checksum of them, XORed with scrypt's output for the passphrase (<c>"\0\0"</c> for the KDF and
/// no XOR when the key is unencrypted).
/// </summary>
public sealed class MinisignSecretKey
{
    private const int KeyIdBytes = 8;
    private const int SaltBytes = 32;
    private const int ProtectedBytes = KeyIdBytes + 64 + 32;
    private const int FileBytes = 6 + SaltBytes + 16 + ProtectedBytes;

    // libsodium's "moderate" limits (scrypt N = 2^17, r = 8, p = 1: 128 MiB): minisign's own default,
    // "sensitive", needs 1 GiB at every signature, more than a small newsroom server spares.
    private const ulong OpsLimit = 1UL << 22;
    private const ulong MemLimit = 1UL << 27;

    private readonly byte[] seed;

    private MinisignSecretKey(byte[] keyId, byte[] seed, MinisignPublicKey publicKey)
    {
        KeyId = keyId;
        this.seed = seed;
        PublicKey = publicKey;
    }

    public byte[] KeyId { get; }

    public MinisignPublicKey PublicKey { get; }

    public static MinisignSecretKey Generate()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var keyId = RandomNumberGenerator.GetBytes(KeyIdBytes);
        return new MinisignSecretKey(keyId, key.Export(KeyBlobFormat.RawPrivateKey), new MinisignPublicKey(keyId, key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }

    /// <summary>Ed25519 over the bytes given (minisign signs either the file or its BLAKE2b-512).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, message);
    }

    /// <param name="passphrase">Null writes the key unencrypted, as <c>minisign -G -W</c> does.</param>
    public string FileText(string? passphrase)
    {
        var file = new byte[FileBytes];
        "Ed"u8.CopyTo(file);
        (passphrase is null ? "\0\0"u8 : "Sc"u8).CopyTo(file.AsSpan(2));
        "B2"u8.CopyTo(file.AsSpan(4));
        var salt = file.AsSpan(6, SaltBytes);
        var secret = file.AsSpan(6 + SaltBytes + 16);
        KeyId.CopyTo(secret);
        seed.CopyTo(secret[KeyIdBytes..]);
        PublicKey.Key.CopyTo(secret[(KeyIdBytes + 32)..]);
        Checksum(secret[..(KeyIdBytes + 64)]).CopyTo(secret[(KeyIdBytes + 64)..]);
        if (passphrase is not null)
        {
            RandomNumberGenerator.Fill(salt);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(6 + SaltBytes), OpsLimit);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(6 + SaltBytes + 8), MemLimit);
            Xor(secret, Scrypt(passphrase, salt, OpsLimit, MemLimit));
        }
        var comment = passphrase is null ? "minisign secret key (unencrypted)" : "minisign encrypted secret key";
        var text = $"untrusted comment: {comment}\n{Convert.ToBase64String(file)}\n";
        CryptographicOperations.ZeroMemory(file);
        return text;
    }

    /// <param name="passphrase">Asked for only when the file is encrypted.</param>
    public static MinisignSecretKey ReadFile(string path, Func<string?> passphrase)
    {
        if (!File.Exists(path))
        {
            throw new MinisignException($"Secret key file not found: {path}");
        }
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        byte[] file;
        try
        {
            file = Convert.FromBase64String(lines.Length > 1 ? lines[1].Trim() : "");
        }
        catch (FormatException)
        {
            throw new MinisignException($"{path} is not a minisign secret key (its key line is not base64).");
        }
        if (file.Length != FileBytes || file[0] != 'E' || file[1] != 'd' || file[4] != 'B' || file[5] != '2')
        {
            throw new MinisignException($"{path} is not a minisign Ed25519 secret key.");
        }
        var secret = file.AsSpan(6 + SaltBytes + 16);
        if (file[2] == 'S' && file[3] == 'c')
        {
            var word = passphrase() ?? throw new MinisignException($"{path} is encrypted: give its passphrase (KIOSQUE_MINISIGN_PASSWORD, or at the terminal).");
            var ops = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(6 + SaltBytes));
            var mem = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(6 + SaltBytes + 8));
            if (ops > 1UL << 33 || mem > 1UL << 33)
            {
                throw new MinisignException($"{path} asks for more scrypt work than any minisign key does.");
            }
            Xor(secret, Scrypt(word, file.AsSpan(6, SaltBytes), ops, mem));
        }
        else if (file[2] != 0 || file[3] != 0)
        {
            throw new MinisignException($"{path} uses a key derivation minisign does not know.");
        }
        // minisign leaves the checksum empty in an unencrypted key; the seed must then give the public key stored beside it.
        if (file[2] == 'S' && !CryptographicOperations.FixedTimeEquals(Checksum(secret[..(KeyIdBytes + 64)]), secret[(KeyIdBytes + 64)..]))
        {
            throw new MinisignException($"Wrong passphrase for {path} (or the file is damaged).");
        }
        using (var check = Key.Import(SignatureAlgorithm.Ed25519, secret[KeyIdBytes..(KeyIdBytes + 32)], KeyBlobFormat.RawPrivateKey))
        {
            if (!check.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(secret[(KeyIdBytes + 32)..(KeyIdBytes + 64)]))
            {
                throw new MinisignException($"{path} is damaged: its secret and public halves do not match.");
            }
        }
        var keyId = secret[..KeyIdBytes].ToArray();
        var key = new MinisignSecretKey(keyId, secret[KeyIdBytes..(KeyIdBytes + 32)].ToArray(), new MinisignPublicKey(keyId, secret[(KeyIdBytes + 32)..(KeyIdBytes + 64)].ToArray()));
        CryptographicOperations.ZeroMemory(file);
        return key;
    }

    /// <summary>minisign's checksum: BLAKE2b-256 of "Ed", the key id and the secret key.</summary>
    private static byte[] Checksum(ReadOnlySpan<byte> keyIdAndSecret) =>
        NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash([.. "Ed"u8, .. keyIdAndSecret]);

    private static void Xor(Span<byte> target, byte[] stream)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] ^= stream[i];
        }
        CryptographicOperations.ZeroMemory(stream);
    }

    /// <summary>
    /// libsodium's <c>crypto_pwhash_scryptsalsa208sha256</c>: minisign stores opslimit and memlimit,
    /// which libsodium turns into scrypt's N, r and p (<c>pickparams</c>); the same choice here gives
    /// the same bytes.
    /// </summary>
    private static byte[] Scrypt(string passphrase, ReadOnlySpan<byte> salt, ulong opsLimit, ulong memLimit)
    {
        if (opsLimit < 32768)
        {
            opsLimit = 32768;
        }
        const uint r = 8;
        int logN;
        ulong p;
        if (opsLimit < memLimit / 32)
        {
            p = 1;
            var maxN = opsLimit / (r * 4);
            for (logN = 1; logN < 63; logN++)
            {
                if (1UL << logN > maxN / 2)
                {
                    break;
                }
            }
        }
        else
        {
            var maxN = memLimit / (r * 128);
            for (logN = 1; logN < 63; logN++)
            {
                if (1UL << logN > maxN / 2)
                {
                    break;
                }
            }
            var maxRp = Math.Min(opsLimit / 4 / (1UL << logN), 0x3fffffff);
            p = (uint)maxRp / r;
        }
        var scrypt = new NSec.Cryptography.Scrypt(new ScryptParameters { Cost = 1L << logN, BlockSize = (int)r, Parallelization = (int)p });
        return scrypt.DeriveBytes(Encoding.UTF8.GetBytes(passphrase), salt, ProtectedBytes);
    }
}
