using System.Text;
using MetadataExtractor;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Xmp;

namespace Kiosque.Media;

/// <summary>Credit, caption and alt text a photo agency or a photographer already wrote into the file.</summary>
public sealed record EmbeddedCaptions(string? Credit, string? Caption, string? Alt)
{
    public static readonly EmbeddedCaptions None = new(null, null, null);

    private const string DublinCore = "http://purl.org/dc/elements/1.1/";
    private const string Photoshop = "http://ns.adobe.com/photoshop/1.0/";
    private const string IptcCore = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/";

    /// <summary>
    /// Reads XMP first (always Unicode), then IPTC-IIM. The photographer (creator, by-line) and the
    /// agency (credit) make the credit line "Photographer / Agency", the form newsrooms print.
    /// Never throws: a file whose metadata cannot be read simply prefills nothing.
    /// </summary>
    public static EmbeddedCaptions Read(byte[] bytes)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes, writable: false));
        }
        catch (Exception exception) when (exception is ImageProcessingException or IOException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or NotSupportedException)
        {
            return None;
        }

        string? creator = null, agency = null, caption = null, alt = null;
        foreach (var xmp in directories.OfType<XmpDirectory>())
        {
            var meta = xmp.XmpMeta;
            if (meta is null)
            {
                continue;
            }
            creator ??= Safe(() => meta.GetArrayItem(DublinCore, "creator", 1)?.Value);
            agency ??= Safe(() => meta.GetPropertyString(Photoshop, "Credit"));
            caption ??= Safe(() => meta.GetLocalizedText(DublinCore, "description", null, "x-default")?.Value);
            alt ??= Safe(() => meta.GetLocalizedText(IptcCore, "AltTextAccessibility", null, "x-default")?.Value);
        }
        foreach (var iptc in directories.OfType<IptcDirectory>())
        {
            creator ??= Clean(iptc.GetString(IptcDirectory.TagByLine));
            agency ??= Clean(iptc.GetString(IptcDirectory.TagCredit));
            caption ??= Clean(iptc.GetString(IptcDirectory.TagCaption));
        }
        creator = Clean(creator);
        agency = Clean(agency);
        var credit = (creator, agency) switch
        {
            (not null, not null) when !creator.Equals(agency, StringComparison.OrdinalIgnoreCase) => $"{creator} / {agency}",
            _ => creator ?? agency,
        };
        return new EmbeddedCaptions(Truncate(credit, 300), Truncate(Clean(caption), 1000), Truncate(Clean(alt), 1000));
    }

    private static string? Safe(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (XmpCore.XmpException)
        {
            return null;
        }
    }

    /// <summary>Single spaces, no control characters; empty becomes null.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var clean = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }
            if (space && clean.Length > 0)
            {
                clean.Append(' ');
            }
            space = false;
            clean.Append(c);
        }
        return clean.Length == 0 ? null : clean.ToString();
    }

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length].TrimEnd();
}
