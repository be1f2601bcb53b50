using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// The test server has no network peer: a request names the address it comes from in
/// <see cref="Header"/>, as Kestrel would see it (a reader, or a proxy in front of the site),
/// before any of the application's middleware runs.
/// </summary>
public sealed class RemoteAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Remote-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }
            return following();
        });
        next(app);
    };
}
