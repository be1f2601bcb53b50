using AngleSharp;
using AngleSharp.Dom;

namespace Kiosque.Tests.Infrastructure;

public static class Html
{
    private static readonly IBrowsingContext Context = BrowsingContext.New(Configuration.Default);

    public static async Task<IDocument> ParseAsync(HttpResponseMessage response) =>
        await Context.OpenAsync(request => request.Content(response.Content.ReadAsStream()).Address(response.RequestMessage!.RequestUri!));

    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string path, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        return await ParseAsync(response);
    }

    public static string Text(this IElement? element) => element?.TextContent.Trim() ?? "";
}
