using System.Security.Claims;

namespace Kiosque.Newsroom;

/// <summary>The signed-in staff member, as handlers need them.</summary>
public sealed record Staff(string Id, string Name, bool IsEditor, bool IsAdmin)
{
    public static Staff? Of(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || !Roles.All.Any(user.IsInRole))
        {
            return null;
        }
        var admin = user.IsInRole(Roles.Admin);
        return new Staff(id, user.FindFirstValue(StaffClaimsFactory.DisplayNameClaim) ?? "", admin || user.IsInRole(Roles.Editor), admin);
    }

    public string RoleName => IsAdmin ? Roles.Admin : IsEditor ? Roles.Editor : Roles.Contributor;
}
