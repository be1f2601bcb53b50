using Kiosque.Data;
using Kiosque.Site;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

public sealed record TeamMember(string Id, string Name, string Email, string Role, bool TwoFactor, bool LockedOut, bool HasPassword, bool Deactivated);

/// <summary>Administrators: accounts, roles, lockouts, deactivation, password resets, the two-factor rule and the audit log.</summary>
public static class TeamPages
{
    /// <summary>GET /newsroom/equipe</summary>
    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, Accounts accounts, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken) =>
        await RenderAsync(http, db, accounts, clock, text, null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> RenderAsync(HttpContext http, KiosqueDb db, Accounts accounts, TimeProvider clock, IStringLocalizer<SharedResource> text, string? error, int status, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var throttle = http.RequestServices.GetRequiredService<SignInThrottle>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var members = users.Select(u => new TeamMember(
            u.Id, u.DisplayName, u.Email ?? "", roles.FirstOrDefault(r => r.UserId == u.Id)?.Name ?? "",
            u.TwoFactorEnabled, (u.LockoutEnd is DateTimeOffset end && end > now || throttle.LockedAnywhere(u.Id)) && !Accounts.IsDeactivated(u), u.PasswordHash is not null, Accounts.IsDeactivated(u))).ToList();
        var chrome = new NewsroomChrome(text["Newsroom.Team.Title"], Staff.Of(http.User), "team", NewsroomPages.Notice(http), error);
        return NewsroomPages.Render<TeamView>(new { Chrome = chrome, Members = members, RequireTwoFactor = await accounts.TwoFactorRequiredAsync(cancellationToken) }, status);
    }

    /// <summary>POST /newsroom/equipe: a new account, with the password the administrator hands over in person.</summary>
    public static async Task<IResult> Create(HttpContext http, KiosqueDb db, Accounts accounts, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var email = form["email"].ToString().Trim();
        var name = form["name"].ToString().Trim();
        var role = form["role"].ToString();
        var password = form["password"].ToString();
        if (email.Length is 0 or > 256 || name.Length is 0 or > 200 || !Roles.IsKnown(role) || password.Length == 0)
        {
            return await RenderAsync(http, db, accounts, clock, text, text["Newsroom.Team.Invalid"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        var (user, _) = await accounts.CreateAsync(email, name, role, password);
        if (user is null)
        {
            var probe = new StaffUser { UserName = email, Email = email };
            var validation = await accounts.Users.PasswordValidators[0].ValidateAsync(accounts.Users, probe, password);
            var message = !validation.Succeeded ? AccountPages.Describe(validation, text) : text["Newsroom.Identity.DuplicateEmail"].Value;
            return await RenderAsync(http, db, accounts, clock, text, message, StatusCodes.Status400BadRequest, cancellationToken);
        }
        Audit.Record(db, clock, Staff.Of(http.User), "user.created", email, role);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect("/newsroom/equipe?ok=user-created");
    }

    /// <summary>
    /// POST /newsroom/equipe/{id}: change the role, unlock, reset two-factor (lost phone),
    /// deactivate or reactivate the account, or reset its password (a link to hand over).
    /// </summary>
    public static async Task<IResult> Update(string id, HttpContext http, KiosqueDb db, Accounts accounts, TimeProvider clock, SiteFormat format, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var user = await accounts.Users.FindByIdAsync(id);
        if (user is null)
        {
            return NewsroomPages.NotFound(http);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var staff = Staff.Of(http.User)!;
        var action = form["action"].ToString();
        Task<IResult> Refuse(string key) => RenderAsync(http, db, accounts, clock, text, text[key], StatusCodes.Status400BadRequest, cancellationToken);
        if (action is "deactivate" or "reset-password" or "reset-2fa" && user.Id == staff.Id)
        {
            // Locking oneself out, or being handed one's own reset link, is never what was meant;
            // and removing one's own second factor takes a code from it ("My account"), or an open
            // session alone would be enough to strip it, even while two-step is mandatory.
            return await Refuse("Newsroom.Team.OwnAccount");
        }
        if (action is "unlock" or "reset-password" && Accounts.IsDeactivated(user))
        {
            return await Refuse("Newsroom.Team.ReactivateFirst");
        }
        var notice = "user-updated";
        switch (action)
        {
            case "deactivate":
                if (await accounts.Users.IsInRoleAsync(user, Roles.Admin) && await accounts.ActiveAdminsOtherThanAsync(user.Id, cancellationToken) == 0)
                {
                    return await Refuse("Newsroom.Team.LastAdmin");
                }
                await accounts.DeactivateAsync(user);
                Audit.Record(db, clock, staff, "user.deactivated", user.Email ?? id);
                notice = "user-deactivated";
                break;
            case "reactivate":
                await accounts.ReactivateAsync(user);
                Audit.Record(db, clock, staff, "user.reactivated", user.Email ?? id);
                notice = "user-reactivated";
                break;
            case "reset-password":
                var path = await accounts.IssuePasswordResetPathAsync(user);
                Audit.Record(db, clock, staff, "user.password-reset", user.Email ?? id);
                await db.SaveChangesAsync(cancellationToken);
                var expires = clock.GetUtcNow().UtcDateTime + PasswordResetTokenProvider.LinkLifespan;
                var chrome = new NewsroomChrome(text["Newsroom.Team.ResetIssued.Title"], staff, "team");
                return NewsroomPages.Render<PasswordResetIssuedView>(new
                {
                    Chrome = chrome,
                    Name = string.IsNullOrEmpty(user.DisplayName) ? user.Email ?? "" : user.DisplayName,
                    Link = format.Absolute(http.Request, path),
                    Expires = expires,
                });
            case "role" when Roles.IsKnown(form["role"].ToString()):
                if (user.Id == staff.Id)
                {
                    // The last administrator must not demote themself out of the building.
                    return await RenderAsync(http, db, accounts, clock, text, text["Newsroom.Team.OwnRole"], StatusCodes.Status400BadRequest, cancellationToken);
                }
                await accounts.SetRoleAsync(user, form["role"].ToString());
                Audit.Record(db, clock, staff, "user.role", user.Email ?? id, form["role"].ToString());
                break;
            case "unlock":
                http.RequestServices.GetRequiredService<SignInThrottle>().Unlock(user.Id);
                await accounts.Users.SetLockoutEndDateAsync(user, null);
                await accounts.Users.ResetAccessFailedCountAsync(user);
                Audit.Record(db, clock, staff, "user.unlocked", user.Email ?? id);
                break;
            case "reset-2fa":
                await accounts.Users.SetTwoFactorEnabledAsync(user, false);
                await accounts.Users.ResetAuthenticatorKeyAsync(user);
                Audit.Record(db, clock, staff, "user.2fa-reset", user.Email ?? id);
                break;
            default:
                return await RenderAsync(http, db, accounts, clock, text, text["Newsroom.Team.Invalid"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect("/newsroom/equipe?ok=" + notice);
    }

    /// <summary>POST /newsroom/reglages: newsroom-wide security settings.</summary>
    public static async Task<IResult> Settings(HttpContext http, KiosqueDb db, Accounts accounts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var required = form["requireTwoFactor"].ToString() == "true";
        await accounts.SetTwoFactorRequiredAsync(required, cancellationToken);
        Audit.Record(db, clock, Staff.Of(http.User), "settings.2fa", "", required ? "required" : "optional");
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect("/newsroom/equipe?ok=settings");
    }

    /// <summary>GET /newsroom/journal: the audit log, newest first.</summary>
    public static async Task<IResult> AuditLog(HttpContext http, KiosqueDb db, SiteFormat format, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var page = int.TryParse(http.Request.Query["page"], out var p) && p is > 0 and < 100_000 ? p : 1;
        var entries = await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Id).Skip((page - 1) * 100).Take(101).ToListAsync(cancellationToken);
        var rows = entries.Take(100).Select(e => AuditText.Describe(e, text, format)).ToList();
        var chrome = new NewsroomChrome(text["Newsroom.Audit.Title"], Staff.Of(http.User), "audit");
        return NewsroomPages.Render<AuditView>(new { Chrome = chrome, Rows = rows, Page = page, HasMore = entries.Count > 100 });
    }
}
