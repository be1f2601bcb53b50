using Kiosque.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Newsroom;

/// <summary>Creating accounts, one-time sign-in links and the newsroom-wide security settings.</summary>
public sealed class Accounts(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, KiosqueDb db, TimeProvider clock)
{
    public const string RequireTwoFactorKey = "RequireTwoFactor";
    public const string DemoAdminEmail = "admin@demo.kiosque.invalid";
    private const string OneTimePurpose = "one-time-sign-in";

    public UserManager<StaffUser> Users => users;

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>A new account with its role; without a password it can only sign in through a one-time link.</summary>
    public async Task<(StaffUser? User, IReadOnlyList<string> Errors)> CreateAsync(string email, string name, string role, string? password)
    {
        if (!Roles.IsKnown(role))
        {
            return (null, [$"Unknown role '{role}': use {string.Join(", ", Roles.All)}."]);
        }
        await EnsureRolesAsync();
        var user = new StaffUser { UserName = email.Trim(), Email = email.Trim(), DisplayName = name.Trim(), EmailConfirmed = true, CreatedAt = clock.GetUtcNow().UtcDateTime };
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, created.Errors.Select(e => e.Description).ToList());
        }
        await users.AddToRoleAsync(user, role);
        return (user, []);
    }

    /// <summary>Replaces the account's role: each account has exactly one.</summary>
    public async Task SetRoleAsync(StaffUser user, string role)
    {
        await EnsureRolesAsync();
        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>The demo administrator (created without any password) and a link that signs it in once, within the hour.</summary>
    public async Task<string> DemoSignInPathAsync()
    {
        var admin = await users.FindByEmailAsync(DemoAdminEmail);
        if (admin is null)
        {
            (admin, var errors) = await CreateAsync(DemoAdminEmail, "Administratrice démo", Roles.Admin, password: null);
            if (admin is null)
            {
                throw new InvalidOperationException(string.Join(" ", errors));
            }
        }
        return await OneTimeSignInPathAsync(admin);
    }

    public async Task<string> OneTimeSignInPathAsync(StaffUser user)
    {
        var token = await users.GenerateUserTokenAsync(user, TokenOptions.DefaultProvider, OneTimePurpose);
        return $"/newsroom/connexion/lien?u={Uri.EscapeDataString(user.Id)}&t={Uri.EscapeDataString(token)}";
    }

    /// <summary>The account a valid link is for; the link is spent (the security stamp changes), so it never works twice.</summary>
    public async Task<StaffUser?> RedeemOneTimeSignInAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || userId.Length > 450 || token.Length > 2000)
        {
            return null;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.IsLockedOutAsync(user) || !await users.VerifyUserTokenAsync(user, TokenOptions.DefaultProvider, OneTimePurpose, token))
        {
            return null;
        }
        await users.UpdateSecurityStampAsync(user);
        return user;
    }

    public async Task<bool> TwoFactorRequiredAsync(CancellationToken cancellationToken = default) =>
        await db.Settings.AsNoTracking().AnyAsync(s => s.Key == RequireTwoFactorKey && s.Value == "true", cancellationToken);

    public async Task SetTwoFactorRequiredAsync(bool required, CancellationToken cancellationToken = default)
    {
        var setting = await db.Settings.FindAsync([RequireTwoFactorKey], cancellationToken);
        if (setting is null)
        {
            db.Settings.Add(new NewsroomSetting { Key = RequireTwoFactorKey, Value = required ? "true" : "false" });
        }
        else
        {
            setting.Value = required ? "true" : "false";
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>
/// Writes the audit log: added to the same unit of work as the action, so both are saved or neither.
/// Actions and details are codes and neutral data (e-mails, ids, dates), never sentences: the
/// log is read in the newsroom's language of the day (<see cref="AuditText"/>), not the writer's.
/// </summary>
public static class Audit
{
    /// <param name="staff">Who acted; null for the system (the scheduler, the lockout).</param>
    public static void Record(KiosqueDb db, TimeProvider clock, Staff? staff, string action, string target, string details = "")
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            UserId = staff?.Id,
            UserName = Truncate(staff?.Name ?? "", 200),
            Action = action,
            Target = Truncate(target, 400),
            Details = Truncate(details, 2000),
        });
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
