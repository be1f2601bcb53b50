using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// A data directory and a database of their own for tests that run the admin verbs as an operator
/// would: the options that point the verb at them, and a direct connection to check the result.
/// </summary>
public sealed class CliDatabase : IAsyncDisposable
{
    private readonly string _connectionString;

    public CliDatabase(DatabaseKind kind, string name)
    {
        Kind = kind;
        Directory = System.IO.Directory.CreateTempSubdirectory($"kiosque-{name}-").FullName;
        if (kind == DatabaseKind.Postgres)
        {
            (_connectionString, Unavailable) = KiosqueFactory.NewPostgresDatabase();
        }
        else
        {
            _connectionString = $"Data Source={Path.Combine(Directory, "kiosque.db")};Pooling=false";
        }
    }

    public DatabaseKind Kind { get; }

    public string Directory { get; }

    /// <summary>Why PostgreSQL is not there (outside CI only); null when it is.</summary>
    public string? Unavailable { get; }

    /// <summary>The verb's own arguments, then the options an operator adds for this data directory and database.</summary>
    public string[] Args(params string[] verb) => [.. verb, .. Options()];

    /// <summary>The configuration options that point a verb at this data directory and database.</summary>
    public string[] Options()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        string[] directory = [$"--Kiosque:DataDirectory={Directory}"];
        return Kind == DatabaseKind.Postgres
            ? [.. directory, "--Database:Provider=Postgres", $"--ConnectionStrings:Kiosque={_connectionString}"]
            : directory;
    }

    public KiosqueDb Open() => Kind == DatabaseKind.Postgres
        ? new PostgresKiosqueDb(new DbContextOptionsBuilder<PostgresKiosqueDb>().UseNpgsql(_connectionString).Options)
        : new SqliteKiosqueDb(new DbContextOptionsBuilder<SqliteKiosqueDb>().UseSqlite(_connectionString).Options);

    public async ValueTask DisposeAsync()
    {
        if (Kind == DatabaseKind.Postgres && Unavailable is null)
        {
            // The verbs' hosts leave pooled connections open; FORCE ends them.
            NpgsqlConnection.ClearAllPools();
            var database = new NpgsqlConnectionStringBuilder(_connectionString).Database!;
            var server = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "postgres", Pooling = false };
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned later.
        }
    }
}
