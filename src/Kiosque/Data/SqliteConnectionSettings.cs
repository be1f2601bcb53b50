using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kiosque.Data;

/// <summary>
/// Per-connection SQLite settings, applied once to each native connection of the pool. SQLite keeps
/// a page cache of 2 MB per connection by default; under a traffic spike the pool holds one
/// connection per concurrent request, each filling its cache with article bodies, which the
/// operating system's file cache holds already. A small cache per connection keeps the server's
/// memory flat under load at no measurable cost (pages come back from the file cache).
/// </summary>
public sealed class SqliteConnectionSettings(int cacheKib) : DbConnectionInterceptor
{
    /// <summary><c>Database:SqliteCacheKib</c> by default, in KiB (SQLite reads a negative cache_size as KiB).</summary>
    public const int DefaultCacheKib = 512;

    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        // The pool hands the same native handle to many SqliteConnection objects: configure each handle once.
        if (connection is not SqliteConnection sqlite || sqlite.Handle is not { } handle || Configured.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA cache_size=-{cacheKib};";
        command.ExecuteNonQuery();
        Configured.AddOrUpdate(handle, handle);
    }
}
