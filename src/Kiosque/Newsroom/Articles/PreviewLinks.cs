using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Kiosque.Newsroom;

/// <summary>
/// Signed, expiring preview links for people outside the newsroom (a source checking a quote, a
/// lawyer): the token names the article and its expiry, and is signed with the shared data-protection keys.
/// </summary>
public sealed class PreviewLinks(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(48);

    private readonly IDataProtector _protector = protection.CreateProtector("Kiosque.Newsroom.Preview.v1");

    public (string Path, DateTime Expires) Create(int articleId)
    {
        var expires = clock.GetUtcNow().UtcDateTime + Lifetime;
        var payload = $"{articleId.ToString(CultureInfo.InvariantCulture)}|{expires.Ticks.ToString(CultureInfo.InvariantCulture)}";
        var token = _protector.Protect(payload);
        return ($"/newsroom/articles/{articleId}/apercu?jeton={Uri.EscapeDataString(token)}", expires);
    }

    public bool IsValid(int articleId, string? token) =>
        Read(token) is var (id, expires) && id == articleId && clock.GetUtcNow().UtcDateTime < expires;

    /// <summary>When a valid token stops working.</summary>
    public DateTime ExpiresOf(string token) => Read(token)?.Expires ?? DateTime.MinValue;

    private (int ArticleId, DateTime Expires)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return null;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var parts = payload.Split('|');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is >= 0 and <= 3155378975999999999
            ? (id, new DateTime(ticks, DateTimeKind.Utc))
            : null;
    }
}
