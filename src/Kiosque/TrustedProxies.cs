using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Kiosque;

/// <summary>
/// Behind a TLS-terminating proxy the application sees plain HTTP from the proxy's address. The
/// proxy's <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> give the reader's address (lockout
/// throttling) and scheme back, but only when the request comes from a proxy the operator listed
/// (<see cref="KiosqueOptions.KnownProxies"/>, <see cref="KiosqueOptions.KnownNetworks"/>): anyone
/// else could send the same headers to pass for another address.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<KiosqueOptions>>((o, kiosque) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var proxies = kiosque.Value.KnownProxies;
            var networks = kiosque.Value.KnownNetworks;
            if (proxies.Length == 0 && networks.Length == 0)
            {
                // ASP.NET Core's default: a proxy on the same machine (127.0.0.1, ::1).
                return;
            }
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy.Trim(), out var address)
                    ? address
                    : throw new OptionsValidationException(nameof(KiosqueOptions.KnownProxies), typeof(KiosqueOptions), [$"Kiosque:KnownProxies: '{proxy}' is not an IP address."]));
            }
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Trim(), out var parsed)
                    ? parsed
                    : throw new OptionsValidationException(nameof(KiosqueOptions.KnownNetworks), typeof(KiosqueOptions), [$"Kiosque:KnownNetworks: '{network}' is not a network such as 10.0.0.0/8."]));
            }
        });
        return services;
    }
}
