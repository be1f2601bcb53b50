using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kiosque.Newsroom;

/// <summary>Puts the display name in the sign-in cookie so pages need not look the account up.</summary>
public sealed class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "kiosque:name";
    public const string TwoFactorClaim = "kiosque:2fa";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, string.IsNullOrEmpty(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        identity.AddClaim(new Claim(TwoFactorClaim, user.TwoFactorEnabled ? "true" : "false"));
        return identity;
    }
}
