using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// Another instance of the application on the same database, as a second node would run: a data
/// directory of its own (its own search index), the first one's clock when it has a fake one, and
/// settings of its own on top of the first's. The first site owns the database and deletes it.
/// </summary>
public sealed class SecondNode : KiosqueFactory
{
    private readonly TimeProvider? _clock;
    private readonly IReadOnlyDictionary<string, string?> _own;
    private readonly string _ownData = Directory.CreateTempSubdirectory("kiosque-node2-").FullName;

    public SecondNode(KiosqueFactory first, TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null)
        : base(first)
    {
        _clock = clock;
        _own = settings ?? new Dictionary<string, string?>();
        KeepData = true;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Kiosque:DataDirectory", _ownData);
        foreach (var (key, value) in _own)
        {
            builder.UseSetting(key, value);
        }
        if (_clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(_clock));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_ownData, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the temporary folder is cleaned by the system.
        }
    }
}
