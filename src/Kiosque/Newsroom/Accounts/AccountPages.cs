using Kiosque.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Kiosque.Newsroom;

/// <summary>The signed-in person's own account: password and two-factor authentication (TOTP).</summary>
public static class AccountPages
{
    /// <summary>GET /newsroom/compte</summary>
    public static async Task<IResult> Get(HttpContext http, SignInManager<StaffUser> signIn, Accounts accounts, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text) =>
        await RenderAsync(http, signIn, accounts, options, text, error: null, StatusCodes.Status200OK);

    private static async Task<IResult> RenderAsync(HttpContext http, SignInManager<StaffUser> signIn, Accounts accounts, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text, string? error, int status)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null)
        {
            return Results.Redirect("/newsroom/connexion");
        }
        string? key = null, uri = null, qr = null;
        if (!user.TwoFactorEnabled)
        {
            key = await signIn.UserManager.GetAuthenticatorKeyAsync(user) is { Length: > 0 } existing
                ? existing
                : await FirstAuthenticatorKeyAsync(http, signIn.UserManager, user);
            var issuer = Uri.EscapeDataString(options.Value.SiteName);
            uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.Email ?? user.Id)}?secret={key}&issuer={issuer}&digits=6";
            using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            qr = new SvgQRCode(data).GetGraphic(4);
        }
        var view = new AccountInfo(
            user.DisplayName, user.Email ?? "", await signIn.UserManager.HasPasswordAsync(user), user.TwoFactorEnabled,
            await accounts.TwoFactorRequiredAsync(http.RequestAborted), FormatKey(key), uri, qr);
        var chrome = new NewsroomChrome(text["Newsroom.Account.Title"], Staff.Of(http.User), "account", NewsroomPages.Notice(http), error);
        return NewsroomPages.Render<AccountView>(new { Chrome = chrome, Account = view }, status);
    }

    /// <summary>
    /// The key shown to set up an authenticator app, made on the first visit. Not through
    /// ResetAuthenticatorKeyAsync, which also changes the security stamp and so would sign the
    /// person out on every other device just for opening this page: a key that no code has
    /// confirmed yet protects nothing, so there is nothing to revoke.
    /// </summary>
    private static async Task<string> FirstAuthenticatorKeyAsync(HttpContext http, UserManager<StaffUser> users, StaffUser user)
    {
        var store = (IUserAuthenticatorKeyStore<StaffUser>)http.RequestServices.GetRequiredService<IUserStore<StaffUser>>();
        await store.SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), http.RequestAborted);
        await users.UpdateAsync(user);
        return await users.GetAuthenticatorKeyAsync(user) ?? "";
    }

    private static string? FormatKey(string? key) =>
        key is null ? null : string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));

    /// <summary>POST /newsroom/compte/mot-de-passe: change it (or set it, for an account made without one).</summary>
    public static async Task<IResult> PostPassword(HttpContext http, SignInManager<StaffUser> signIn, Accounts accounts, KiosqueDb db, TimeProvider clock, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null)
        {
            return Results.Redirect("/newsroom/connexion");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var current = form["current"].ToString();
        var next = form["new"].ToString();
        if (next != form["confirm"].ToString())
        {
            return await RenderAsync(http, signIn, accounts, options, text, text["Newsroom.Account.Mismatch"], StatusCodes.Status400BadRequest);
        }
        var result = await signIn.UserManager.HasPasswordAsync(user)
            ? await signIn.UserManager.ChangePasswordAsync(user, current, next)
            : await signIn.UserManager.AddPasswordAsync(user, next);
        if (!result.Succeeded)
        {
            return await RenderAsync(http, signIn, accounts, options, text, Describe(result, text), StatusCodes.Status400BadRequest);
        }
        await signIn.RefreshSignInAsync(user);
        Audit.Record(db, clock, Staff.Of(http.User), "account.password", user.Email ?? user.Id);
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect("/newsroom/compte?ok=password");
    }

    /// <summary>POST /newsroom/compte/2fa: turns TOTP on once the app shows a right code.</summary>
    public static async Task<IResult> PostTwoFactor(HttpContext http, SignInManager<StaffUser> signIn, Accounts accounts, KiosqueDb db, TimeProvider clock, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null)
        {
            return Results.Redirect("/newsroom/connexion");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var code = new string(form["code"].ToString().Where(char.IsAsciiDigit).ToArray());
        var valid = code.Length == 6 && await signIn.UserManager.VerifyTwoFactorTokenAsync(user, signIn.UserManager.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            return await RenderAsync(http, signIn, accounts, options, text, text["Newsroom.SignIn.BadCode"], StatusCodes.Status400BadRequest);
        }
        await signIn.UserManager.SetTwoFactorEnabledAsync(user, true);
        await signIn.RefreshSignInAsync(user);
        Audit.Record(db, clock, Staff.Of(http.User), "account.2fa-on", user.Email ?? user.Id);
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect("/newsroom/compte?ok=two-factor-on");
    }

    /// <summary>
    /// POST /newsroom/compte/2fa/desactiver: needs a current code from the app (a session left
    /// open on a shared computer must not be enough to strip the second factor), and is refused
    /// while an administrator makes two-factor mandatory. Wrong codes count towards the lockout.
    /// </summary>
    public static async Task<IResult> PostDisableTwoFactor(HttpContext http, SignInManager<StaffUser> signIn, Accounts accounts, KiosqueDb db, TimeProvider clock, IOptions<KiosqueOptions> options, IStringLocalizer<SharedResource> text)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null)
        {
            return Results.Redirect("/newsroom/connexion");
        }
        if (await accounts.TwoFactorRequiredAsync(http.RequestAborted))
        {
            return await RenderAsync(http, signIn, accounts, options, text, text["Newsroom.Account.TwoFactorMandatory"], StatusCodes.Status400BadRequest);
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var code = new string(form["code"].ToString().Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6 || !await signIn.UserManager.VerifyTwoFactorTokenAsync(user, signIn.UserManager.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await signIn.UserManager.AccessFailedAsync(user);
            return await RenderAsync(http, signIn, accounts, options, text, text["Newsroom.SignIn.BadCode"], StatusCodes.Status400BadRequest);
        }
        await signIn.UserManager.SetTwoFactorEnabledAsync(user, false);
        await signIn.UserManager.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        Audit.Record(db, clock, Staff.Of(http.User), "account.2fa-off", user.Email ?? user.Id);
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect("/newsroom/compte?ok=two-factor-off");
    }

    /// <summary>Identity's messages are in English; ours are translated by code.</summary>
    public static string Describe(IdentityResult result, IStringLocalizer<SharedResource> text) =>
        string.Join(" ", result.Errors.Select(e =>
        {
            var translated = text["Newsroom.Identity." + e.Code];
            return translated.ResourceNotFound ? e.Description : translated.Value;
        }));
}

public sealed record AccountInfo(string Name, string Email, bool HasPassword, bool TwoFactor, bool TwoFactorRequired, string? Key, string? Uri, string? QrSvg);
