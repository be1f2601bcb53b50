using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;

namespace Kiosque.Mirror;

/// <summary>
/// The reader site itself, started in this process on an in-memory server, for the export to
/// request pages from: every page of a mirror goes through the same routes, handlers, views and
/// page cache as the live site, so there is one renderer and the mirror cannot drift from it.
/// The application's own entry point (Program.cs) builds it, as <c>WebApplicationFactory</c> does
/// in the tests: a diagnostic listener catches the host while it is built and swaps Kestrel for
/// <see cref="TestServer"/>, and takes out the background work (change feed, rendition worker,
/// search indexer, scheduler) that belongs to the running server, not to an export.
/// </summary>
public sealed class MirrorSite : IAsyncDisposable
{
    private const string MarkerKey = "KiosqueMirror:Instance";

    private readonly Thread _thread;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IHost? _host;
    private Exception? _failure;

    private MirrorSite(Thread thread) => _thread = thread;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _host!.Services;

    /// <param name="configArgs">The configuration options the verb was given (data directory, database).</param>
    public static async Task<MirrorSite> StartAsync(IEnumerable<string> configArgs, CancellationToken cancellationToken)
    {
        var marker = Guid.NewGuid().ToString("N");
        var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new HostListener(marker, built));
        // The application's name finds its static files' manifest, wherever this process started from.
        string[] args = [.. configArgs, $"--{MarkerKey}={marker}", "--Logging:LogLevel:Default=Warning", $"--applicationName={typeof(Program).Assembly.GetName().Name}"];
        var entry = typeof(Program).Assembly.EntryPoint ?? throw new InvalidOperationException("The application has no entry point.");
        MirrorSite? site = null;
        var thread = new Thread(() =>
        {
            try
            {
                entry.Invoke(null, [args]);
                site?._exited.TrySetResult();
                built.TrySetException(new InvalidOperationException("The site stopped before it started."));
            }
            catch (Exception exception)
            {
                var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } e } ? e : exception;
                if (site is not null)
                {
                    site._failure = inner;
                }
                site?._exited.TrySetResult();
                built.TrySetException(inner);
            }
        })
        { IsBackground = true, Name = "Mirror site" };
        site = new MirrorSite(thread);
        thread.Start();
        var host = await built.Task.WaitAsync(cancellationToken);
        site._host = host;
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await Task.WhenAny(started.Task, site._exited.Task).WaitAsync(cancellationToken);
        }
        if (!started.Task.IsCompleted)
        {
            throw new InvalidOperationException("The site stopped before it started.", site._failure);
        }
        var server = (TestServer)host.Services.GetRequiredService<IServer>();
        site.Client = server.CreateClient();
        site.Client.BaseAddress = new Uri("http://mirror.invalid/");
        return site;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        _host?.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    private sealed class HostListener(string marker, TaskCompletionSource<IHost> built) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && value.Value is IHostBuilder builder)
            {
                builder.ConfigureServices((context, services) =>
                {
                    if (context.Configuration[MarkerKey] != marker)
                    {
                        return;
                    }
                    services.AddSingleton<IServer>(sp => new TestServer(sp));
                    // The application's own loops are registered with factories; the framework's
                    // (the web host itself, data protection) by type and stay.
                    foreach (var background in services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationFactory is not null).ToList())
                    {
                        services.Remove(background);
                    }
                });
            }
            else if (value.Key == "HostBuilt" && value.Value is IHost host
                && host.Services.GetRequiredService<IConfiguration>()[MarkerKey] == marker)
            {
                built.TrySetResult(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
