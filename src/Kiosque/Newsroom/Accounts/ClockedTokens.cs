using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

/// <summary>
/// Identity tokens for links (one-time sign-in, password reset) that expire by the injected
/// <see cref="TimeProvider"/>, like everything else that expires here. Identity's own
/// DataProtectorTokenProvider reads the wall clock, which no test can move. Same contents as
/// that provider: signed and encrypted with the shared data-protection keys (so every node accepts
/// them), and bound to the account's security stamp, so a token dies when the stamp changes
/// (a link used once, a new password, a deactivation).
/// </summary>
public abstract class ClockedTokenProvider(IDataProtectionProvider protection, TimeProvider clock, string name) : IUserTwoFactorTokenProvider<StaffUser>
{
    private readonly IDataProtector _protector = protection.CreateProtector("Kiosque.Newsroom.Tokens", name);

    protected abstract TimeSpan Lifespan { get; }

    public async Task<string> GenerateAsync(string purpose, UserManager<StaffUser> manager, StaffUser user)
    {
        var payload = string.Join('\n',
            clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture),
            await manager.GetUserIdAsync(user),
            purpose,
            await manager.GetSecurityStampAsync(user) ?? "");
        return WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(payload)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffUser> manager, StaffUser user)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token))).Split('\n');
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return false;
        }
        return parts.Length == 4
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks - Lifespan.Ticks
            && clock.GetUtcNow().UtcTicks < ticks + Lifespan.Ticks
            && parts[1] == await manager.GetUserIdAsync(user)
            && parts[2] == purpose
            && parts[3] == (await manager.GetSecurityStampAsync(user) ?? "");
    }

    /// <summary>Links only: never a second factor.</summary>
    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StaffUser> manager, StaffUser user) => Task.FromResult(false);
}

/// <summary>Identity's default provider (one-time sign-in links): the lifespan configured for it, an hour.</summary>
public sealed class OneTimeLinkTokenProvider(IDataProtectionProvider protection, TimeProvider clock, IOptions<DataProtectionTokenProviderOptions> options)
    : ClockedTokenProvider(protection, clock, TokenOptions.DefaultProvider)
{
    protected override TimeSpan Lifespan => options.Value.TokenLifespan;
}

/// <summary>
/// Password reset links an administrator hands over: a day, since the person may be away from
/// the newsroom when it is made (and the link dies as soon as it is used).
/// </summary>
public sealed class PasswordResetTokenProvider(IDataProtectionProvider protection, TimeProvider clock)
    : ClockedTokenProvider(protection, clock, Name)
{
    public const string Name = "kiosque-password-reset";

    public static readonly TimeSpan LinkLifespan = TimeSpan.FromHours(24);

    protected override TimeSpan Lifespan => LinkLifespan;
}
