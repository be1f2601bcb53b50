using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kiosque.Data;

/// <summary>
/// For several nodes. New migration (no server needed):
/// <c>dotnet ef migrations add NAME --project src/Kiosque --context PostgresKiosqueDb --output-dir Data/Migrations/Postgres</c>
/// </summary>
public sealed class PostgresKiosqueDb(DbContextOptions<PostgresKiosqueDb> options) : KiosqueDb(options);

public sealed class PostgresKiosqueDbDesignFactory : IDesignTimeDbContextFactory<PostgresKiosqueDb>
{
    public PostgresKiosqueDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresKiosqueDb>().UseNpgsql("Host=localhost;Database=kiosque").Options);
}
