using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kiosque.Newsroom;

/// <summary>With <c>--demo</c>: prints a one-time sign-in link for the demo administrator once the server listens, while it has no password.</summary>
public static partial class DemoSignIn
{
    public static async Task PrintLinkAsync(WebApplication app)
    {
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var path = await scope.ServiceProvider.GetRequiredService<Accounts>().DemoSignInPathAsync();
            if (path is null)
            {
                // Not a demo database, or the demo administrator has a password now.
                return;
            }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            address = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
            // The console, not the log: the operator must see it whatever the log level.
            Console.WriteLine();
            Console.WriteLine("Newsroom: sign in as the demo administrator with this one-time link (valid for one hour):");
            Console.WriteLine($"  {address.TrimEnd('/')}{path}");
            Console.WriteLine();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogFailed(app.Logger, exception);
        }
    }

    [LoggerMessage(LogLevel.Error, "Could not create the demo administrator's sign-in link.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
