using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Kiosque.Newsroom;

/// <summary>Reads keys written by <see cref="ConfiguredKeyXmlEncryptor"/>; made by data protection itself, by type name, with the service provider.</summary>
public sealed class ConfiguredKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var text = services.GetRequiredService<IConfiguration>()[ConfiguredKeyXmlEncryptor.Setting]
            ?? throw new InvalidOperationException($"The data-protection keys are encrypted, but {ConfiguredKeyXmlEncryptor.Setting} is not set.");
        var key = ConfiguredKeyXmlEncryptor.Parse(text);
        var data = Convert.FromBase64String(encryptedElement.Element("value")?.Value ?? "");
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plaintext = new byte[data.Length - nonceSize - tagSize];
        using (var aes = new AesGcm(key, tagSize))
        {
            aes.Decrypt(data.AsSpan(0, nonceSize), data.AsSpan(nonceSize + tagSize), data.AsSpan(nonceSize, tagSize), plaintext);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
