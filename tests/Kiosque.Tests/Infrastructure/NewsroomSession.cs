using System.Net;
using Kiosque.Newsroom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Infrastructure;

/// <summary>Newsroom accounts and signed-in clients, through the real sign-in form.</summary>
public static class NewsroomSession
{
    public const string Password = "une phrase de passe assez longue";

    /// <summary>A fresh account with its role; every call makes a new e-mail address.</summary>
    public static async Task<StaffUser> CreateUserAsync(this KiosqueFactory site, string role, string? password = Password, string? name = null)
    {
        site.SkipIfUnavailable();
        await using var scope = site.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<Accounts>();
        var email = $"{role}-{Guid.NewGuid():N}@redaction.test";
        var (user, errors) = await accounts.CreateAsync(email, name ?? $"Compte {role}", role, password);
        Assert.True(user is not null, string.Join(" ", errors));
        return user!;
    }

    /// <summary>A client with its own cookies that does not follow redirects.</summary>
    public static HttpClient Browser(this KiosqueFactory site)
    {
        site.SkipIfUnavailable();
        return site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://journal.test") });
    }

    /// <summary>Signs a new account with this role in through the form; the client keeps the cookie.</summary>
    public static async Task<(HttpClient Client, StaffUser User)> SignedInAsync(this KiosqueFactory site, string role, string? name = null)
    {
        var user = await site.CreateUserAsync(role, name: name);
        var client = site.Browser();
        using var response = await client.SignInAsync(user.Email!, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, user);
    }

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var token = await client.TokenAsync("/newsroom/connexion");
        return await client.PostAsync("/newsroom/connexion", Form(token, ("email", email), ("password", password), ("returnUrl", "/newsroom")));
    }

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static async Task<string> TokenAsync(this HttpClient client, string path)
    {
        var page = await client.GetDocumentAsync(path);
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No antiforgery token on {path}.");
    }

    public static FormUrlEncodedContent Form(string? token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Concat(token is null ? [] : [new KeyValuePair<string, string>("__RequestVerificationToken", token)]));

    /// <summary>Posts a form the way a browser would: the token comes from a page of the newsroom.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        var token = await client.TokenAsync("/newsroom/compte");
        return await client.PostAsync(path, Form(token, fields));
    }
}
