using System.Globalization;
using System.Security.Claims;
using Kiosque.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

/// <summary>
/// Checks a newsroom session on every request, not only every few minutes: the cookie is only
/// worth what the account's security stamp says now. Signing out, a deactivation, a password reset
/// or a role change change the stamp, so a copy of the cookie stops working at its next request,
/// on every node (the stamp is in the shared database). A session also ends
/// <see cref="AbsoluteLifetime"/> after its sign-in, however active it stays.
/// The newsroom is a few dozen people: one indexed read per request is cheap.
/// </summary>
public static class SessionValidator
{
    /// <summary>A working day: after it, the password (and the code) again, as NIST SP 800-63B asks at AAL2.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>When the person signed in, kept in the cookie's properties (they survive renewals, claims do not).</summary>
    private const string SignedInItem = "kiosque.signed-in";

    /// <summary>Stamps a new session with its sign-in time; a refresh (password change) keeps the first one.</summary>
    public static Task SigningInAsync(CookieSigningInContext context)
    {
        if (!context.Properties.Items.ContainsKey(SignedInItem))
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            context.Properties.Items[SignedInItem] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        }
        return Task.CompletedTask;
    }

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var stamp = context.Principal?.FindFirstValue(stampClaim);
        var signedIn = context.Properties.Items.TryGetValue(SignedInItem, out var ticks)
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            && t <= now.UtcTicks
            ? t
            : (long?)null;
        var current = id is null ? null : await services.GetRequiredService<KiosqueDb>().Users.AsNoTracking()
            .Where(u => u.Id == id).Select(u => u.SecurityStamp).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (current is null || stamp is null || current != stamp || signedIn is null || now.UtcTicks - signedIn.Value >= AbsoluteLifetime.Ticks)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }
        // Identity's periodic refresh still runs after this check: it reloads the claims (name,
        // two-factor) every few minutes.
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }
}
