using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Kiosque.Newsroom;

/// <summary>
/// Encrypts the data-protection keys before they reach the database (AES-256-GCM, with the key in
/// <c>Kiosque:DataProtectionKey</c>): someone who gets a copy of the database, a backup or a
/// replica cannot forge sign-in cookies or preview links without the key, which lives in the
/// server's configuration (an environment variable, a secret store), not beside the data.
/// </summary>
public sealed class ConfiguredKeyXmlEncryptor(byte[] key) : IXmlEncryptor
{
    public const string Setting = "Kiosque:DataProtectionKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }
        var element = new XElement("encryptedKey",
            new XComment($" Encrypted with the key in {Setting}. "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. ciphertext])));
        return new EncryptedXmlInfo(element, typeof(ConfiguredKeyXmlDecryptor));
    }

    /// <summary>The key from its base64 text: exactly 32 bytes, or the server refuses to start.</summary>
    public static byte[] Parse(string text)
    {
        try
        {
            var bytes = Convert.FromBase64String(text.Trim());
            if (bytes.Length == 32)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException($"{Setting} must be 32 random bytes in base64 (for example: openssl rand -base64 32).");
    }
}
