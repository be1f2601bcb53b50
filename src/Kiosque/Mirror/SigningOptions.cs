namespace Kiosque.Mirror;

/// <summary>
/// <c>Kiosque:Signing</c>: the newsroom's minisign key pair. The public key is published at
/// <see cref="AuthenticityPage.PublicKeyPath"/> and on the « Authenticité » page; the secret key
/// signs every mirror edition and is kept out of the data directory (see docs/mirrors.md).
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Kiosque:Signing";

    public string? PublicKeyFile { get; set; }

    public string? SecretKeyFile { get; set; }

    private MinisignPublicKey? _key;
    private bool _read;

    /// <summary>
    /// The configured public key, read once (every page's footer asks; a new key needs a restart);
    /// null when none is configured, the file is missing or is not a key.
    /// </summary>
    public MinisignPublicKey? ReadPublicKey()
    {
        if (!_read)
        {
            _key = Read();
            _read = true;
        }
        return _key;
    }

    private MinisignPublicKey? Read()
    {
        if (string.IsNullOrEmpty(PublicKeyFile) || !File.Exists(PublicKeyFile))
        {
            return null;
        }
        try
        {
            return MinisignPublicKey.ReadFile(PublicKeyFile);
        }
        catch (MinisignException)
        {
            return null;
        }
    }
}
