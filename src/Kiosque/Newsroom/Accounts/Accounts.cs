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

    /// <summary>
    /// Creates the demo administrator, without any password, unless it exists. Called only when
    /// the demo newsroom has just been seeded into an empty database: a database that had content
    /// must never gain an administrator anyone can sign in as.
    /// </summary>
    public async Task EnsureDemoAdminAsync()
    {
        if (await users.FindByEmailAsync(DemoAdminEmail) is not null)
        {
            return;
        }
        var (admin, errors) = await CreateAsync(DemoAdminEmail, "Administratrice démo", Roles.Admin, password: null);
        if (admin is null)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }
    }

    /// <summary>
    /// A link that signs the demo administrator in once, within the hour; null when there is no
    /// demo administrator (the demo was not seeded here) or it has chosen a password, after which
    /// it signs in like everyone else and a printed link would only be a way around that password.
    /// </summary>
    public async Task<string?> DemoSignInPathAsync()
    {
        var admin = await users.FindByEmailAsync(DemoAdminEmail);
        if (admin is null || await users.HasPasswordAsync(admin))
        {
            return null;
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

    /// <summary>
    /// A deactivated account is locked out until this far-off date (not DateTimeOffset.MaxValue,
    /// which PostgreSQL reads back as infinity): its data and history stay, it cannot sign in.
    /// </summary>
    public static readonly DateTimeOffset DeactivatedUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsDeactivated(StaffUser user) => user.LockoutEnd is DateTimeOffset end && end >= DeactivatedUntil;

    /// <summary>
    /// Locks the account for good and changes its security stamp, so its open sessions end at
    /// their next check and its links (one-time sign-in, password reset) stop working.
    /// </summary>
    public async Task DeactivateAsync(StaffUser user)
    {
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DeactivatedUntil);
        await users.UpdateSecurityStampAsync(user);
    }

    public async Task ReactivateAsync(StaffUser user)
    {
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
    }

    /// <summary>Administrators who can still sign in, the given one left out.</summary>
    public async Task<int> ActiveAdminsOtherThanAsync(string userId, CancellationToken cancellationToken = default)
    {
        // Compared here, not in SQL: SQLite cannot compare DateTimeOffset values, and there are few administrators.
        var admins = await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            join u in db.Users on ur.UserId equals u.Id
                            where r.Name == Roles.Admin && u.Id != userId
                            select u.LockoutEnd).ToListAsync(cancellationToken);
        return admins.Count(end => end is null || end < DeactivatedUntil);
    }

    public const string PasswordResetPath = "/newsroom/connexion/nouveau-mot-de-passe";

    /// <summary>
    /// An administrator's password reset: the old password stops working at once and open
    /// sessions end (the security stamp changes), and the path returned lets the person choose a
    /// new one, once, within <see cref="PasswordResetTokenProvider.LinkLifespan"/>. The
    /// administrator hands the link over and never knows the password.
    /// </summary>
    public async Task<string> IssuePasswordResetPathAsync(StaffUser user)
    {
        if (await users.HasPasswordAsync(user))
        {
            await users.RemovePasswordAsync(user);
        }
        else
        {
            await users.UpdateSecurityStampAsync(user);
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return $"{PasswordResetPath}?u={Uri.EscapeDataString(user.Id)}&t={Uri.EscapeDataString(token)}";
    }

    /// <summary>The account a reset link is for, while the link is valid; null otherwise.</summary>
    public async Task<StaffUser?> PasswordResetUserAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || userId.Length > 450 || token.Length > 2000)
        {
            return null;
        }
        var user = await users.FindByIdAsync(userId);
        var purpose = UserManager<StaffUser>.ResetPasswordTokenPurpose;
        if (user is null || IsDeactivated(user) || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, purpose, token))
        {
            return null;
        }
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

