using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Kiosque.Tests.Infrastructure;

/// <summary>The article editor's form as a browser would send it: read from the page, changed, posted.</summary>
public sealed class EditorForm
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public int ArticleId { get; private init; }

    public string Token { get; private init; } = "";

    public IDocument Page { get; private init; } = null!;

    public static async Task<EditorForm> LoadAsync(HttpClient client, int articleId)
    {
        var page = await client.GetDocumentAsync($"/newsroom/articles/{articleId}");
        var form = (IHtmlFormElement)page.QuerySelector("#article-form")!;
        var editor = new EditorForm { ArticleId = articleId, Page = page, Token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")! };
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Name != "__RequestVerificationToken":
                    editor._fields.Add(new(input.Name, input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    editor._fields.Add(new(area.Name, area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    foreach (var option in select.Options.Where(o => o.IsSelected))
                    {
                        editor._fields.Add(new(select.Name, option.Value));
                    }
                    break;
                default:
                    break;
            }
        }
        return editor;
    }

    public string Get(string name) => _fields.FirstOrDefault(f => f.Key == name).Value ?? "";

    public IReadOnlyList<string> GetAll(string name) => _fields.Where(f => f.Key == name).Select(f => f.Value).ToList();

    public EditorForm Set(string name, params string[] values)
    {
        _fields.RemoveAll(f => f.Key == name);
        _fields.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
        return this;
    }

    /// <summary>The body as Editor.js would send it: <c>{"blocks":[{"type":…,"data":{…}}]}</c>.</summary>
    public EditorForm Blocks(params object[] blocks) => Set("body", JsonSerializer.Serialize(new { blocks }));

    public static object Block(string type, object data) => new { type, data };

    /// <summary>Posts the form; <paramref name="script"/> asks for the JSON answer the autosave gets.</summary>
    public async Task<HttpResponseMessage> PostAsync(HttpClient client, bool script = false, string kind = "save")
    {
        Set("kind", kind);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/newsroom/articles/{ArticleId}")
        {
            Content = new FormUrlEncodedContent(_fields.Append(new("__RequestVerificationToken", Token))),
        };
        if (script)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Posts as the editor's autosave script does: JSON asked for, the antiforgery token in the
    /// <c>RequestVerificationToken</c> header (none when null) rather than in the form.
    /// </summary>
    public async Task<HttpResponseMessage> AutosaveAsync(HttpClient client, string? headerToken)
    {
        Set("kind", "autosave");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/newsroom/articles/{ArticleId}") { Content = new FormUrlEncodedContent(_fields) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (headerToken is not null)
        {
            request.Headers.Add("RequestVerificationToken", headerToken);
        }
        return await client.SendAsync(request);
    }
}
