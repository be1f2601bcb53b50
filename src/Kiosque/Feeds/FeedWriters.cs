using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using Kiosque.Media;
using Kiosque.Site;

namespace Kiosque.Feeds;

/// <summary>
/// Writes a <see cref="FeedDocument"/> as RSS 2.0 (with content:encoded, dc:creator and
/// media:content), Atom (RFC 4287) or JSON Feed 1.1. Written with XmlWriter and Utf8JsonWriter
/// rather than System.ServiceModel.Syndication, whose formatters make the RSS extensions and
/// the exact Atom links awkward; the tests read the output back with that library.
/// </summary>
public static class FeedWriters
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";
    public const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";
    public const string MediaNamespace = "http://search.yahoo.com/mrss/";
    private const string Generator = "Kiosque";

    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        Async = false,
    };

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        // Accents stay readable; markup characters are still escaped, which JSON allows.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static byte[] Rss(FeedDocument feed, SiteFormat format)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, XmlSettings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("rss");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteAttributeString("xmlns", "atom", null, AtomNamespace);
            xml.WriteAttributeString("xmlns", "content", null, ContentNamespace);
            xml.WriteAttributeString("xmlns", "dc", null, DublinCoreNamespace);
            xml.WriteAttributeString("xmlns", "media", null, MediaNamespace);
            xml.WriteStartElement("channel");
            Element(xml, "title", feed.Title);
            Element(xml, "link", feed.PageUrl);
            Element(xml, "description", feed.Description);
            Element(xml, "language", feed.Language);
            Element(xml, "lastBuildDate", Rfc822(feed.Updated));
            Element(xml, "generator", Generator);
            AtomLink(xml, "self", feed.FeedUrl, FeedPaths.ContentType(FeedFormat.Rss));
            if (feed.Hub is not null)
            {
                AtomLink(xml, "hub", feed.Hub.AbsoluteUri, null);
            }
            xml.WriteStartElement("image");
            Element(xml, "url", feed.Absolute(SiteBrand.LogoPath));
            Element(xml, "title", feed.Title);
            Element(xml, "link", feed.PageUrl);
            xml.WriteEndElement();

            foreach (var entry in feed.Entries)
            {
                xml.WriteStartElement("item");
                Element(xml, "title", entry.Headline);
                Element(xml, "link", entry.Url);
                // The id survives slug changes, so a corrected headline is not a new item.
                xml.WriteStartElement("guid");
                xml.WriteAttributeString("isPermaLink", "false");
                xml.WriteString(EntryId(feed, entry));
                xml.WriteEndElement();
                Element(xml, "pubDate", Rfc822(entry.PublishedAt));
                foreach (var author in entry.Authors)
                {
                    Element(xml, "dc", "creator", DublinCoreNamespace, author.Name);
                }
                xml.WriteStartElement("category");
                xml.WriteAttributeString("domain", feed.Absolute(SiteFormat.SectionPath(entry.Section.Slug)));
                xml.WriteString(Clean(entry.Section.Name));
                xml.WriteEndElement();
                foreach (var tag in entry.Tags)
                {
                    xml.WriteStartElement("category");
                    xml.WriteAttributeString("domain", feed.Absolute(SiteFormat.TagPath(tag.Slug)));
                    xml.WriteString(Clean(tag.Name));
                    xml.WriteEndElement();
                }
                Element(xml, "description", entry.Summary);
                Element(xml, "content", "encoded", ContentNamespace, entry.ContentHtml);
                if (entry.Hero is not null)
                {
                    // The file and its own size together: the medium's size is the original's.
                    var hero = Picture.Source(entry.Hero);
                    xml.WriteStartElement("media", "content", MediaNamespace);
                    xml.WriteAttributeString("url", feed.Absolute(hero.Url));
                    xml.WriteAttributeString("type", ImageType(hero.Path));
                    xml.WriteAttributeString("medium", "image");
                    xml.WriteAttributeString("width", hero.Width.ToString(CultureInfo.InvariantCulture));
                    xml.WriteAttributeString("height", hero.Height.ToString(CultureInfo.InvariantCulture));
                    if (entry.Hero.Alt.Length > 0)
                    {
                        Element(xml, "media", "description", MediaNamespace, entry.Hero.Alt);
                    }
                    if (entry.Hero.Credit.Length > 0)
                    {
                        Element(xml, "media", "credit", MediaNamespace, entry.Hero.Credit);
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return stream.ToArray();
    }

    public static byte[] Atom(FeedDocument feed, SiteFormat format)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, XmlSettings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNamespace);
            xml.WriteAttributeString("xml", "lang", null, feed.Language);
            Element(xml, "id", feed.FeedUrl);
            Element(xml, "title", feed.Title);
            Element(xml, "subtitle", feed.Description);
            Element(xml, "updated", format.Iso(feed.Updated));
            AtomLink(xml, "self", feed.FeedUrl, FeedPaths.ContentType(FeedFormat.Atom));
            AtomLink(xml, "alternate", feed.PageUrl, "text/html");
            if (feed.Hub is not null)
            {
                AtomLink(xml, "hub", feed.Hub.AbsoluteUri, null);
            }
            // Entries without a byline are the newsroom's: RFC 4287 wants an author for each entry.
            xml.WriteStartElement("author");
            Element(xml, "name", format.SiteName);
            Element(xml, "uri", feed.Absolute("/"));
            xml.WriteEndElement();
            Element(xml, "generator", Generator);
            Element(xml, "icon", feed.Absolute(SiteBrand.IconPath));
            Element(xml, "logo", feed.Absolute(SiteBrand.LogoPath));

            foreach (var entry in feed.Entries)
            {
                xml.WriteStartElement("entry");
                Element(xml, "id", EntryId(feed, entry));
                Element(xml, "title", entry.Headline);
                AtomLink(xml, "alternate", entry.Url, "text/html");
                Element(xml, "published", format.Iso(entry.PublishedAt));
                Element(xml, "updated", format.Iso(entry.UpdatedAt));
                foreach (var author in entry.Authors)
                {
                    xml.WriteStartElement("author");
                    Element(xml, "name", author.Name);
                    Element(xml, "uri", feed.Absolute(SiteFormat.AuthorPath(author.Slug)));
                    xml.WriteEndElement();
                }
                AtomCategory(xml, entry.Section.Slug, entry.Section.Name, feed.Absolute(SiteFormat.SectionPath("")));
                foreach (var tag in entry.Tags)
                {
                    AtomCategory(xml, tag.Slug, tag.Name, feed.Absolute(SiteFormat.TagPath("")));
                }
                if (entry.Hero is not null)
                {
                    var hero = Picture.Source(entry.Hero);
                    xml.WriteStartElement("link");
                    xml.WriteAttributeString("rel", "enclosure");
                    xml.WriteAttributeString("type", ImageType(hero.Path));
                    xml.WriteAttributeString("href", feed.Absolute(hero.Url));
                    xml.WriteEndElement();
                }
                if (entry.Summary.Length > 0)
                {
                    xml.WriteStartElement("summary");
                    xml.WriteAttributeString("type", "text");
                    xml.WriteString(Clean(entry.Summary));
                    xml.WriteEndElement();
                }
                xml.WriteStartElement("content");
                xml.WriteAttributeString("type", "html");
                xml.WriteString(Clean(entry.ContentHtml));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return stream.ToArray();
    }

    public static byte[] Json(FeedDocument feed, SiteFormat format)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "https://jsonfeed.org/version/1.1");
            json.WriteString("title", feed.Title);
            json.WriteString("home_page_url", feed.PageUrl);
            json.WriteString("feed_url", feed.FeedUrl);
            json.WriteString("description", feed.Description);
            json.WriteString("icon", feed.Absolute(SiteBrand.LogoPath));
            json.WriteString("favicon", feed.Absolute(SiteBrand.IconPath));
            json.WriteString("language", feed.Language);
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", format.SiteName);
            json.WriteString("url", feed.Absolute("/"));
            json.WriteEndObject();
            json.WriteEndArray();
            if (feed.Hub is not null)
            {
                json.WriteStartArray("hubs");
                json.WriteStartObject();
                json.WriteString("type", "WebSub");
                json.WriteString("url", feed.Hub.AbsoluteUri);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            json.WriteStartArray("items");
            foreach (var entry in feed.Entries)
            {
                json.WriteStartObject();
                json.WriteString("id", EntryId(feed, entry));
                json.WriteString("url", entry.Url);
                json.WriteString("title", entry.Headline);
                json.WriteString("content_html", entry.ContentHtml);
                if (entry.Summary.Length > 0)
                {
                    json.WriteString("summary", entry.Summary);
                }
                if (entry.Hero is not null)
                {
                    json.WriteString("image", feed.Absolute(Picture.Source(entry.Hero).Url));
                }
                json.WriteString("date_published", format.Iso(entry.PublishedAt));
                json.WriteString("date_modified", format.Iso(entry.UpdatedAt));
                if (entry.Authors.Count > 0)
                {
                    json.WriteStartArray("authors");
                    foreach (var author in entry.Authors)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", author.Name);
                        json.WriteString("url", feed.Absolute(SiteFormat.AuthorPath(author.Slug)));
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteStartArray("tags");
                json.WriteStringValue(entry.Section.Name);
                foreach (var tag in entry.Tags)
                {
                    json.WriteStringValue(tag.Name);
                }
                json.WriteEndArray();
                json.WriteString("language", feed.Language);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// A tag URI (RFC 4151) made of the site's host, the day the article was created and its
    /// number: none of them changes when the slug or headline is corrected or the piece is
    /// republished under a new date, so readers never see one article as two. (The publication
    /// date was used once, and a republished piece came back as a new item.)
    /// </summary>
    public static string EntryId(FeedDocument feed, FeedEntry entry) => entry.OwnId ??
        $"tag:{new Uri(feed.Origin).Host},{entry.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:article:{entry.Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>RFC 822 date, as RSS 2.0 wants it.</summary>
    public static string Rfc822(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("r", CultureInfo.InvariantCulture);

    public static string ImageType(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".avif" => "image/avif",
        ".gif" => "image/gif",
        _ => "image/jpeg",
    };

    private static void Element(XmlWriter xml, string name, string value) => xml.WriteElementString(name, Clean(value));

    private static void Element(XmlWriter xml, string prefix, string name, string ns, string value) =>
        xml.WriteElementString(prefix, name, ns, Clean(value));

    private static void AtomLink(XmlWriter xml, string rel, string href, string? type)
    {
        if (xml.LookupPrefix(AtomNamespace) is "")
        {
            xml.WriteStartElement("link", AtomNamespace);
        }
        else
        {
            xml.WriteStartElement("atom", "link", AtomNamespace);
        }
        xml.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            xml.WriteAttributeString("type", type);
        }
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static void AtomCategory(XmlWriter xml, string term, string label, string scheme)
    {
        xml.WriteStartElement("category");
        xml.WriteAttributeString("term", term);
        xml.WriteAttributeString("label", Clean(label));
        xml.WriteAttributeString("scheme", scheme);
        xml.WriteEndElement();
    }

    /// <summary>
    /// XML 1.0 cannot carry most control characters; one pasted into a headline must not make the
    /// whole feed unreadable, so such characters are dropped.
    /// </summary>
    public static string Clean(string text)
    {
        var firstBad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsXmlChar(text, i))
            {
                firstBad = i;
                break;
            }
            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }
        if (firstBad < 0)
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        clean.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            if (IsXmlChar(text, i))
            {
                clean.Append(text[i]);
                if (char.IsHighSurrogate(text[i]))
                {
                    clean.Append(text[++i]);
                }
            }
        }
        return clean.ToString();
    }

    private static bool IsXmlChar(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
        }
        return !char.IsLowSurrogate(c) && XmlConvert.IsXmlChar(c);
    }
}
