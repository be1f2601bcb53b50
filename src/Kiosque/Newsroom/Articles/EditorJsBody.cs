using System.Text.Json;
using System.Text.Json.Nodes;
using Kiosque.Content;

namespace Kiosque.Newsroom;

/// <summary>
/// The one place where Editor.js data and our stored <see cref="ArticleBody"/> meet. Coming in,
/// every block is checked and its text sanitised (<see cref="InlineMarkup"/>); what the browser
/// sends is never stored as it is. Going out, blocks become the data the editor's tools read.
/// </summary>
public static class EditorJsBody
{
    public const int MaxBlocks = 1000;
    public const int MaxTextLength = 20_000;
    public const int MaxJsonLength = 2_000_000;

    public static JsonObject ToEditorJs(ArticleBody body)
    {
        var blocks = new JsonArray();
        foreach (var block in body.Blocks)
        {
            (string Type, JsonObject Data) converted = block switch
            {
                ParagraphBlock p => ("paragraph", new JsonObject { ["text"] = p.Text }),
                HeadingBlock h => ("header", new JsonObject { ["text"] = System.Net.WebUtility.HtmlEncode(h.Text), ["level"] = h.Level }),
                ListBlock l => ("list", new JsonObject
                {
                    ["style"] = l.Style == ListStyle.Ordered ? "ordered" : "unordered",
                    ["meta"] = new JsonObject(),
                    ["items"] = new JsonArray(l.Items.Select(i => (JsonNode)new JsonObject { ["content"] = i, ["meta"] = new JsonObject(), ["items"] = new JsonArray() }).ToArray()),
                }),
                QuoteBlock q => ("quote", new JsonObject
                {
                    ["text"] = q.Text,
                    ["source"] = q.Source.Name,
                    ["url"] = q.Source.Url ?? "",
                    ["verification"] = q.Verification.ToString().ToLowerInvariant(),
                    ["note"] = q.Note ?? "",
                }),
                ImageBlock i => ("image", new JsonObject { ["mediaId"] = i.MediaId, ["caption"] = i.Caption ?? "", ["credit"] = i.Credit ?? "", ["alt"] = i.Alt ?? "" }),
                EmbedBlock e => ("embed", new JsonObject { ["url"] = e.Url, ["provider"] = e.Provider ?? "", ["title"] = e.Title ?? "" }),
                ReadAlsoBlock r => ("readAlso", new JsonObject { ["articleId"] = r.ArticleId }),
                _ => throw new InvalidOperationException($"No editor tool for {block.GetType().Name}."),
            };
            blocks.Add(new JsonObject { ["type"] = converted.Type, ["data"] = converted.Data });
        }
        return new JsonObject { ["blocks"] = blocks };
    }

    /// <summary>The blocks the editor sent, checked and cleaned; <paramref name="errors"/> says what was refused and why.</summary>
    public static ArticleBody? FromEditorJs(string json, List<string> errors)
    {
        if (json.Length > MaxJsonLength)
        {
            errors.Add("body.too-long");
            return null;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            errors.Add("body.malformed");
            return null;
        }
        if (root is not JsonObject obj || obj["blocks"] is not JsonArray items)
        {
            errors.Add("body.malformed");
            return null;
        }
        if (items.Count > MaxBlocks)
        {
            errors.Add("body.too-many-blocks");
            return null;
        }
        var blocks = new List<Block>(items.Count);
        foreach (var item in items)
        {
            if (item is not JsonObject block || block["data"] is not JsonObject data)
            {
                errors.Add("body.malformed");
                return null;
            }
            var converted = Convert(Text(block, "type"), data, errors);
            if (converted is not null)
            {
                blocks.Add(converted);
            }
        }
        return errors.Count == 0 ? ArticleBody.Of([.. blocks]) : null;
    }

    private static Block? Convert(string type, JsonObject data, List<string> errors)
    {
        switch (type)
        {
            case "paragraph":
                var text = Inline(Text(data, "text"), errors);
                // Enter on an empty line leaves an empty paragraph behind: not content.
                return IsBlank(text) ? null : new ParagraphBlock(text);
            case "header":
                var heading = Plain(Text(data, "text"), errors);
                var level = Int(data, "level") ?? 2;
                return heading.Length == 0 ? null : new HeadingBlock(heading, Math.Clamp(level, 2, 4));
            case "list":
                var entries = new List<string>();
                CollectItems(data["items"] as JsonArray, entries, errors);
                var style = Text(data, "style") == "ordered" ? ListStyle.Ordered : ListStyle.Unordered;
                return entries.Count == 0 ? null : new ListBlock(entries, style);
            case "quote":
                var quote = Plain(Text(data, "text"), errors);
                if (quote.Length == 0)
                {
                    return null;
                }
                var source = Plain(Text(data, "source"), errors);
                if (source.Length == 0)
                {
                    // Sourcing is the point of a quote block: no source, no quote.
                    errors.Add("quote.source-missing");
                    return null;
                }
                var url = Text(data, "url").Trim();
                if (url.Length > 0 && !IsHttpUrl(url))
                {
                    errors.Add("quote.bad-url");
                    return null;
                }
                var verification = Enum.TryParse<Verification>(Text(data, "verification"), ignoreCase: true, out var v) && Enum.IsDefined(v) ? v : Verification.Verified;
                var note = Plain(Text(data, "note"), errors);
                return new QuoteBlock(quote, new QuoteSource(source, url.Length == 0 ? null : url), verification, note.Length == 0 ? null : note);
            case "image":
                if (Int(data, "mediaId") is not int mediaId || mediaId <= 0)
                {
                    errors.Add("image.missing");
                    return null;
                }
                return new ImageBlock(mediaId, Optional(Plain(Text(data, "caption"), errors)), Optional(Plain(Text(data, "credit"), errors)), Optional(Plain(Text(data, "alt"), errors)));
            case "embed":
                var address = Text(data, "url").Trim();
                if (address.Length == 0)
                {
                    return null;
                }
                if (!IsHttpUrl(address))
                {
                    errors.Add("embed.bad-url");
                    return null;
                }
                return new EmbedBlock(address, Optional(Plain(Text(data, "provider"), errors)), Optional(Plain(Text(data, "title"), errors)));
            case "readAlso":
                if (Int(data, "articleId") is not int articleId || articleId <= 0)
                {
                    errors.Add("read-also.missing");
                    return null;
                }
                return new ReadAlsoBlock(articleId);
            default:
                errors.Add("body.unknown-block");
                return null;
        }
    }

    private static void CollectItems(JsonArray? items, List<string> entries, List<string> errors)
    {
        if (items is null)
        {
            return;
        }
        foreach (var item in items)
        {
            // @editorjs/list 2 sends {content, items}; version 1 sent plain strings. Nesting is flattened.
            var content = item switch
            {
                JsonValue value when value.TryGetValue<string>(out var s) => s,
                JsonObject o => Text(o, "content"),
                _ => "",
            };
            var cleaned = Inline(content, errors);
            if (!IsBlank(cleaned))
            {
                entries.Add(cleaned);
            }
            if (item is JsonObject nested)
            {
                CollectItems(nested["items"] as JsonArray, entries, errors);
            }
        }
    }

    private static string Text(JsonObject data, string name) =>
        data[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static int? Int(JsonObject data, string name) => data[name] switch
    {
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text) && int.TryParse(text, out var parsed) => parsed,
        _ => null,
    };

    private static string Inline(string html, List<string> errors)
    {
        if (html.Length > MaxTextLength)
        {
            errors.Add("block.too-long");
            return "";
        }
        // Editor.js marks bold and italic as b/i, but pasted text may bring strong/em and &nbsp;.
        return InlineMarkup.Sanitize(html.Replace("&nbsp;", " ", StringComparison.Ordinal)).Trim();
    }

    /// <summary>Plain text fields (headings, quotes, captions): markup is dropped, entities decoded.</summary>
    private static string Plain(string html, List<string> errors)
    {
        if (html.Length > MaxTextLength)
        {
            errors.Add("block.too-long");
            return "";
        }
        return InlineMarkup.ToPlainText(InlineMarkup.Sanitize(html)).Replace('\u00a0', ' ').Trim();
    }

    private static bool IsBlank(string html) => string.IsNullOrWhiteSpace(InlineMarkup.ToPlainText(html).Replace('\u00a0', ' '));

    private static string? Optional(string text) => text.Length == 0 ? null : text;

    private static bool IsHttpUrl(string url) =>
        url.Length <= 2000 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
