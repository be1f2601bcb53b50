using Kiosque.ChangeLog;
using Kiosque.Data;
using Kiosque.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kiosque.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real application on a test server, with its own data directory and its own database
/// (a SQLite file, or a fresh database in the throwaway PostgreSQL cluster the test script starts).
/// </summary>
public class KiosqueFactory : WebApplicationFactory<Program>
{
    /// <summary>Set by scripts/test.sh: the throwaway cluster, without a database name.</summary>
    public const string PostgresVariable = "KIOSQUE_TEST_POSTGRES";

    private readonly string _connectionString;

    public KiosqueFactory(DatabaseKind kind, IDictionary<string, string?>? settings = null)
    {
        Kind = kind;
        DataDirectory = Directory.CreateTempSubdirectory("kiosque-test-").FullName;
        Settings = settings ?? new Dictionary<string, string?>();
        if (kind == DatabaseKind.Postgres)
        {
            (_connectionString, Unavailable) = NewPostgresDatabase();
            if (Unavailable is not null)
            {
                return;
            }
        }
        else
        {
            _connectionString = $"Data Source={Path.Combine(DataDirectory, "kiosque.db")}";
        }
    }

    /// <summary>
    /// A second start of the same site: the data directory and the database of <paramref name="previous"/>,
    /// as a node finds them after a restart. Set <see cref="KeepData"/> on the first one.
    /// </summary>
    public KiosqueFactory(KiosqueFactory previous)
    {
        Kind = previous.Kind;
        DataDirectory = previous.DataDirectory;
        Settings = previous.Settings;
        Unavailable = previous.Unavailable;
        _connectionString = previous._connectionString;
    }

    /// <summary>
    /// The connection string of a database no one has used yet, in the throwaway cluster (it is
    /// created on first migration); or why there is none, outside CI.
    /// </summary>
    public static (string ConnectionString, string? Unavailable) NewPostgresDatabase()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(server))
        {
            // CI must prove both databases: there a missing server is a failure, not a skip.
            if (InCi(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException($"{PostgresVariable} is not set: PostgreSQL tests cannot run. Use scripts/test.sh, which starts a throwaway server.");
            }
            return ("", $"PostgreSQL tests need {PostgresVariable} (scripts/test.sh starts a throwaway server).");
        }
        return (new NpgsqlConnectionStringBuilder(server) { Database = "kiosque_" + Guid.NewGuid().ToString("N")[..16] }.ConnectionString, null);
    }

    /// <summary>CI services spell the flag <c>true</c>, <c>True</c> or <c>1</c>.</summary>
    public static bool InCi(string? value) =>
        value is not null && (value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) || value.Trim() == "1");

    public DatabaseKind Kind { get; }

    /// <summary>The database this site uses (for running the admin verbs against it).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>Leave the data directory and the database in place on dispose, for a restart.</summary>
    public bool KeepData { get; init; }

    public string DataDirectory { get; }

    public IDictionary<string, string?> Settings { get; }

    /// <summary>The warnings and errors this site logged since it started.</summary>
    public LogRecorder Logs { get; } = new();

    /// <summary>Why this factory cannot run (no PostgreSQL outside CI); null when it can.</summary>
    public string? Unavailable { get; }

    private bool _started;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _started = true;
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Kind.ToString());
        builder.UseSetting("ConnectionStrings:Kiosque", _connectionString);
        builder.UseSetting("Kiosque:DataDirectory", DataDirectory);
        builder.UseSetting("Kiosque:PublicUrl", "https://journal.test");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        // Tests make renditions when they mean to (RenditionWorker.RunPendingAsync), so the demo's
        // pictures do not keep two cores busy under every other test.
        builder.UseSetting("Kiosque:Media:BackgroundRenditions", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFilter>());
    }

    /// <summary>A client that does not follow redirects, so tests see the 301s readers get.</summary>
    public HttpClient Reader()
    {
        SkipIfUnavailable();
        return CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://journal.test") });
    }

    public void SkipIfUnavailable()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
    }

    /// <summary>Runs code against the application's own database.</summary>
    public async Task<T> WithDbAsync<T>(Func<KiosqueDb, Task<T>> action)
    {
        SkipIfUnavailable();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        var result = await action(db);
        await WaitForChangeFeedAsync();
        return result;
    }

    /// <summary>
    /// Waits until this node's change feed has handed every logged change to its handlers (the
    /// page cache evicts there), so the next request sees what a test just saved, as readers do
    /// a moment after a publish.
    /// </summary>
    public async Task WaitForChangeFeedAsync()
    {
        long last;
        await using (var scope = Services.CreateAsyncScope())
        {
            last = await scope.ServiceProvider.GetRequiredService<KiosqueDb>().ContentChanges.MaxAsync(c => (long?)c.Id) ?? 0;
        }
        var feed = Services.GetRequiredService<ChangeFeed>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!feed.HasSeen(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The change feed is at {feed.Position}, the log at {last}.");
            }
            await Task.Delay(10);
        }
    }

    public Task WithDbAsync(Func<KiosqueDb, Task> action) =>
        WithDbAsync(async db =>
        {
            await action(db);
            return true;
        });

    public override async ValueTask DisposeAsync()
    {
        if (KeepData)
        {
            await base.DisposeAsync();
            GC.SuppressFinalize(this);
            return;
        }
        if (Kind == DatabaseKind.Postgres && _started)
        {
            NpgsqlConnection.ClearAllPools();
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KiosqueDb>().Database.EnsureDeletedAsync();
        }
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished request; the temp folder is cleaned later.
        }
    }
}

/// <summary>One shared SQLite site per test class; every test makes its own content.</summary>
public sealed class SqliteSite() : KiosqueFactory(DatabaseKind.Sqlite);

/// <summary>One shared PostgreSQL site per test class; every test makes its own content.</summary>
public sealed class PostgresSite() : KiosqueFactory(DatabaseKind.Postgres);
