using Kiosque.Newsroom;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace Kiosque.Media;

/// <summary>
/// The door of <c>/media/r/…</c>: a picture's renditions go to readers only while public content
/// shows it (<see cref="PublicPictures"/>); before that (a draft's picture) and after (a piece taken
/// off the site) only to newsroom staff, recognised by their media cookie, and to holders of a
/// preview link for an article that shows it. Anyone else gets a 404, as for a file that does not exist.
/// </summary>
public static class MediaAccess
{
    public const string PreviewCookiePrefix = "kiosque.preview-";
    private const string PrivateItem = "kiosque.media.private";

    public static async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var path = http.Request.Path.Value!["/media".Length..];
        var folder = PublicPictures.FolderOf(path);
        if (folder is null)
        {
            await ServeAsync(http, path, next);
            return;
        }
        var pictures = http.RequestServices.GetRequiredService<PublicPictures>();
        if (await pictures.IsPublicAsync(folder, http.RequestAborted))
        {
            await ServeAsync(http, path, next);
            return;
        }
        if (await IsStaffAsync(http) || await HoldsPreviewAsync(http, pictures, folder))
        {
            http.Items[PrivateItem] = true;
            await ServeAsync(http, path, next);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        // It may be published in a minute: no cache may keep the refusal.
        http.Response.Headers.CacheControl = "no-store";
    }

    /// <summary>
    /// Hands the request to the static files of this node's media folder, once the store has put
    /// the file there (a shared bucket fills it on first request). A store that cannot be reached
    /// is a 503 the edge cache may retry, never a 404 it would keep.
    /// </summary>
    private static async Task ServeAsync(HttpContext http, string path, Func<Task> next)
    {
        var store = http.RequestServices.GetRequiredService<IMediaStore>();
        try
        {
            await store.EnsureLocalAsync(path.TrimStart('/'), http.RequestAborted);
        }
        catch (ArgumentException)
        {
            // Not a media path (empty, "..", a folder): the static files answer 404 as before.
        }
        catch (MediaStoreException)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "10";
            http.Response.Headers.CacheControl = "no-store";
            return;
        }
        await next();
    }

    /// <summary>Cache-Control for a file served from /media: immutable for public renditions, private for the others.</summary>
    public static string CacheControl(HttpContext http) =>
        http.Items.ContainsKey(PrivateItem) ? "private, max-age=3600"
        : http.Request.Path.StartsWithSegments("/media/" + RenditionPlan.RenditionsRoot) ? "public, max-age=31536000, immutable"
        : "public, max-age=86400";

    /// <summary>Lets the browser that opened a valid preview link fetch that article's pictures for as long as the link lasts.</summary>
    public static void GrantPreview(HttpContext http, int articleId, string token, DateTimeOffset expires)
    {
        var options = NewsroomServices.MediaCookie(http);
        options.Expires = expires;
        http.Response.Cookies.Append(PreviewCookiePrefix + articleId.ToString(System.Globalization.CultureInfo.InvariantCulture), token, options);
    }

    private static async Task<bool> IsStaffAsync(HttpContext http)
    {
        if (!http.Request.Cookies.ContainsKey(NewsroomServices.MediaCookieName))
        {
            return false;
        }
        var result = await http.AuthenticateAsync(NewsroomServices.MediaScheme);
        return result.Succeeded && result.Principal is { } principal && Staff.Of(principal) is not null;
    }

    private static async Task<bool> HoldsPreviewAsync(HttpContext http, PublicPictures pictures, string folder)
    {
        var previews = http.RequestServices.GetRequiredService<PreviewLinks>();
        foreach (var (name, token) in http.Request.Cookies)
        {
            if (name.StartsWith(PreviewCookiePrefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(PreviewCookiePrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                && previews.IsValid(id, token)
                && await pictures.ShownByAsync(folder, id, http.RequestAborted))
            {
                return true;
            }
        }
        return false;
    }
}
