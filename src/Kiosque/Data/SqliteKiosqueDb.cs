using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kiosque.Data;

/// <summary>
/// The embedded default. New migration:
/// <c>dotnet ef migrations add NAME --project src/Kiosque --context SqliteKiosqueDb --output-dir Data/Migrations/Sqlite</c>
/// </summary>
public sealed class SqliteKiosqueDb(DbContextOptions<SqliteKiosqueDb> options) : KiosqueDb(options);

public sealed class SqliteKiosqueDbDesignFactory : IDesignTimeDbContextFactory<SqliteKiosqueDb>
{
    public SqliteKiosqueDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKiosqueDb>().UseSqlite("Data Source=design.db").Options);
}
