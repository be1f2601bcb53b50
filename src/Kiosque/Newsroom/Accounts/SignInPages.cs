using Kiosque.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>Sign-in (password, then the authenticator code when enabled), the one-time demo link, password reset links, sign-out.</summary>
public static class SignInPages
{
    /// <summary>GET /newsroom/connexion</summary>
    public static IResult Get(HttpContext http, string? returnUrl, IStringLocalizer<SharedResource> text) =>
        Form(http, text, returnUrl, email: "", error: null, StatusCodes.Status200OK);

    /// <summary>
    /// POST /newsroom/connexion: five wrong passwords from one address lock the account for that
    /// address for 15 minutes (<see cref="SignInThrottle"/>). Every refusal reads the same and costs
    /// the same (one password hash), whether the account is unknown, locked or the password wrong.
    /// </summary>
    public static async Task<IResult> Post(HttpContext http, SignInManager<StaffUser> signIn, SignInThrottle throttle, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (email.Length is 0 or > 256 || password.Length is 0 or > 512)
        {
            return Form(http, text, returnUrl, email, text["Newsroom.SignIn.Missing"], StatusCodes.Status400BadRequest);
        }
        var address = SignInThrottle.AddressOf(http);
        IResult Refused() => Form(http, text, returnUrl, email, text["Newsroom.SignIn.Failed"], StatusCodes.Status400BadRequest);
        if (throttle.AddressBlocked(address))
        {
            VerifyDummyPassword(signIn.UserManager, password);
            return Refused();
        }
        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            // The same answer as a wrong password, in the same time: a password is hashed as for
            // an account, so neither the page nor its delay tells who has one.
            VerifyDummyPassword(signIn.UserManager, password);
            throttle.Failed(address, null);
            return Refused();
        }
        if (Accounts.IsDeactivated(user))
        {
            // Only the right password learns that the account is deactivated; anyone else gets the
            // usual refusal. Nothing is counted towards a lockout that already lasts for ever.
            var right = await signIn.UserManager.CheckPasswordAsync(user, password);
            return Form(http, text, returnUrl, email, text[right ? "Newsroom.SignIn.Deactivated" : "Newsroom.SignIn.Failed"], StatusCodes.Status400BadRequest);
        }
        if (throttle.AccountBlocked(address, user.Id))
        {
            // Locked for this address: not a word about it, and the hash a check would cost.
            VerifyDummyPassword(signIn.UserManager, password);
            return Refused();
        }
        // Identity's own lockout stays for wrong two-step codes (whoever types them knows the password).
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (result.RequiresTwoFactor)
        {
            throttle.Succeeded(address, user.Id);
            return Results.Redirect("/newsroom/connexion/code?returnUrl=" + Uri.EscapeDataString(NewsroomPages.SafeReturnUrl(returnUrl)));
        }
        if (result.IsLockedOut)
        {
            VerifyDummyPassword(signIn.UserManager, password);
            return Refused();
        }
        if (!result.Succeeded)
        {
            if (throttle.Failed(address, user.Id))
            {
                // Once per lockout, not once per try: the log stays readable under a flood.
                Audit.Record(db, clock, null, "account.locked", user.Email ?? user.Id, address);
                await db.SaveChangesAsync(http.RequestAborted);
            }
            return Refused();
        }
        throttle.Succeeded(address, user.Id);
        Audit.Record(db, clock, new Staff(user.Id, user.DisplayName, false, false), "account.signin", user.Email ?? user.Id);
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect(NewsroomPages.SafeReturnUrl(returnUrl));
    }

    private static string? _dummyHash;

    /// <summary>Costs what checking a real account's password costs (same hasher, same work factor), and answers nothing.</summary>
    private static void VerifyDummyPassword(UserManager<StaffUser> users, string password)
    {
        var probe = new StaffUser();
        _dummyHash ??= users.PasswordHasher.HashPassword(probe, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        users.PasswordHasher.VerifyHashedPassword(probe, _dummyHash, password);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult Form(HttpContext http, IStringLocalizer<SharedResource> text, string? returnUrl, string email, string? error, int status) =>
        NewsroomPages.Render<SignInView>(new
        {
            Chrome = new NewsroomChrome(text["Newsroom.SignIn.Title"], null, Error: error, Notice: NewsroomPages.Notice(http)),
            ReturnUrl = NewsroomPages.SafeReturnUrl(returnUrl),
            Email = email,
        }, status);

    /// <summary>GET /newsroom/connexion/code</summary>
    public static IResult GetCode(string? returnUrl, IStringLocalizer<SharedResource> text) =>
        CodeForm(text, returnUrl, null, StatusCodes.Status200OK);

    /// <summary>POST /newsroom/connexion/code: the six digits of the authenticator app; failures count towards the lockout.</summary>
    public static async Task<IResult> PostCode(HttpContext http, SignInManager<StaffUser> signIn, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var code = new string(form["code"].ToString().Where(char.IsAsciiDigit).ToArray());
        var returnUrl = form["returnUrl"].ToString();
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return Results.Redirect("/newsroom/connexion?ok=expired");
        }
        var result = code.Length == 6 ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false) : SignInResult.Failed;
        if (result.IsLockedOut)
        {
            return CodeForm(text, returnUrl, text["Newsroom.SignIn.LockedOut"], StatusCodes.Status400BadRequest);
        }
        if (!result.Succeeded)
        {
            return CodeForm(text, returnUrl, text["Newsroom.SignIn.BadCode"], StatusCodes.Status400BadRequest);
        }
        Audit.Record(db, clock, new Staff(user.Id, user.DisplayName, false, false), "account.signin", user.Email ?? user.Id, "2fa");
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect(NewsroomPages.SafeReturnUrl(returnUrl));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult CodeForm(IStringLocalizer<SharedResource> text, string? returnUrl, string? error, int status) =>
        NewsroomPages.Render<TwoFactorView>(new
        {
            Chrome = new NewsroomChrome(text["Newsroom.TwoFactor.Title"], null, Error: error),
            ReturnUrl = NewsroomPages.SafeReturnUrl(returnUrl),
        }, status);

    /// <summary>GET /newsroom/connexion/lien?u=…&amp;t=…: a one-time link (the demo administrator's); spent on first use.</summary>
    public static async Task<IResult> GetLink(HttpContext http, string? u, string? t, Accounts accounts, SignInManager<StaffUser> signIn, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text)
    {
        var user = await accounts.RedeemOneTimeSignInAsync(u, t);
        if (user is null || user.TwoFactorEnabled)
        {
            return NewsroomPages.Message(http, text["Newsroom.Link.Title"], text["Newsroom.Link.Invalid"], StatusCodes.Status400BadRequest);
        }
        await signIn.SignInAsync(user, isPersistent: false);
        Audit.Record(db, clock, new Staff(user.Id, user.DisplayName, false, false), "account.signin", user.Email ?? user.Id, "one-time-link");
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect("/newsroom/compte?ok=link");
    }

    /// <summary>GET /newsroom/connexion/nouveau-mot-de-passe?u=…&amp;t=…: the link an administrator handed over.</summary>
    public static async Task<IResult> GetPasswordReset(HttpContext http, string? u, string? t, Accounts accounts, IStringLocalizer<SharedResource> text)
    {
        var user = await accounts.PasswordResetUserAsync(u, t);
        if (user is null)
        {
            return NewsroomPages.Message(http, text["Newsroom.Reset.Title"], text["Newsroom.Reset.Invalid"], StatusCodes.Status400BadRequest);
        }
        return ResetForm(text, user.Id, t!, error: null, StatusCodes.Status200OK);
    }

    /// <summary>POST /newsroom/connexion/nouveau-mot-de-passe: sets the password; the link is spent (the security stamp changes).</summary>
    public static async Task<IResult> PostPasswordReset(HttpContext http, Accounts accounts, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var token = form["t"].ToString();
        var user = await accounts.PasswordResetUserAsync(form["u"].ToString(), token);
        if (user is null)
        {
            return NewsroomPages.Message(http, text["Newsroom.Reset.Title"], text["Newsroom.Reset.Invalid"], StatusCodes.Status400BadRequest);
        }
        var password = form["new"].ToString();
        if (password != form["confirm"].ToString())
        {
            return ResetForm(text, user.Id, token, text["Newsroom.Account.Mismatch"], StatusCodes.Status400BadRequest);
        }
        var result = await accounts.Users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            return ResetForm(text, user.Id, token, AccountPages.Describe(result, text), StatusCodes.Status400BadRequest);
        }
        // A reset also ends a lockout from failed attempts: that is often why it was asked for.
        await accounts.Users.SetLockoutEndDateAsync(user, null);
        await accounts.Users.ResetAccessFailedCountAsync(user);
        Audit.Record(db, clock, new Staff(user.Id, user.DisplayName, false, false), "account.password-reset", user.Email ?? user.Id);
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Redirect("/newsroom/connexion?ok=password-reset");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult ResetForm(IStringLocalizer<SharedResource> text, string userId, string token, string? error, int status) =>
        NewsroomPages.Render<PasswordResetView>(new
        {
            Chrome = new NewsroomChrome(text["Newsroom.Reset.Title"], null, Error: error),
            UserId = userId,
            Token = token,
        }, status);

    /// <summary>
    /// POST /newsroom/deconnexion: ends the session on the server, not only in this browser. The
    /// new security stamp makes every cookie issued before it worthless (SessionValidator checks it
    /// on each request), so a copied cookie stops working too; the account's other devices are
    /// signed out as well, since sessions are not stored one by one.
    /// </summary>
    public static async Task<IResult> SignOut(HttpContext http, SignInManager<StaffUser> signIn)
    {
        if (http.User.Identity?.IsAuthenticated == true && await signIn.UserManager.GetUserAsync(http.User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }
        await signIn.SignOutAsync();
        return Results.Redirect("/newsroom/connexion?ok=signed-out");
    }
}
