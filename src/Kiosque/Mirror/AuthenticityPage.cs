using Kiosque.Caching;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosque.Mirror;

/// <summary>
/// The newsroom's public key, as a file for tools (<c>/.well-known/kiosque/minisign.pub</c>) and
/// as the « Authenticité » page, which tells readers how to check a mirror with it. Both answer
/// 404 when no key is configured.
/// </summary>
public static class AuthenticityPage
{
    public const string Path = "/authenticite";
    public const string PublicKeyPath = "/.well-known/kiosque/minisign.pub";

    public static IServiceCollection AddMirrorSigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.Section));
        return services;
    }

    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, SiteFormat format, IOptions<SigningOptions> signing, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (signing.Value.ReadPublicKey() is not { } key)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        var meta = new PageMeta($"{text["Authenticity.Title"]} — {options.Value.SiteName}", text["Authenticity.Intro", options.Value.SiteName], format.Absolute(http.Request, Path));
        var chrome = new Chrome(meta, await db.NavSectionsAsync(http, cancellationToken));
        return SitePages.Render<AuthenticityView>(new { Chrome = chrome, Key = key });
    }

    public static async Task<IResult> PublicKey(HttpContext http, KiosqueDb db, SiteFormat format, IOptions<SigningOptions> signing, IOptions<KiosqueOptions> options, CancellationToken cancellationToken)
    {
        if (signing.Value.ReadPublicKey() is not { } key)
        {
            return await SitePages.NotFoundAsync(http, db, format, options, cancellationToken);
        }
        return Results.Text(key.FileText, "text/plain; charset=utf-8");
    }
}
