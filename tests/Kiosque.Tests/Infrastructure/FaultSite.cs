using System.Data.Common;
using Kiosque.Data;
using Kiosque.Newsroom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// A site whose database calls a test can interfere with at one chosen moment (a save slipping in
/// right after a request read an article, a save that fails half-way), and whose password
/// hashing is counted. Races and crashes become deterministic.
/// </summary>
public class FaultSite(DatabaseKind kind) : KiosqueFactory(kind)
{
    public DatabaseFaults Faults { get; } = new();

    public CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureDbContext<SqliteKiosqueDb>(o => o.AddInterceptors(Faults), ServiceLifetime.Singleton);
            services.ConfigureDbContext<PostgresKiosqueDb>(o => o.AddInterceptors(Faults), ServiceLifetime.Singleton);
            services.AddSingleton<IPasswordHasher<StaffUser>>(Hasher);
        });
    }

    /// <summary>The path of the request being served on this call chain, if any (background work has none).</summary>
    public string? RequestPath => Services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request.Path.Value;

    /// <summary>Bumps an article's version from another connection, as an autosave would.</summary>
    public void SaveElsewhere(int articleId)
    {
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<KiosqueDb>().Articles.Where(a => a.Id == articleId)
            .ExecuteUpdate(set => set.SetProperty(a => a.Version, a => a.Version + 1));
    }
}

public sealed class DatabaseFaults : DbCommandInterceptor, ISaveChangesInterceptor
{
    private (Func<DbCommand, bool> Which, Action Then)? _afterRead;
    private Func<DbContext, bool>? _failSave;

    /// <summary>Once, when a query <paramref name="which"/> matches has been read to its end, runs <paramref name="then"/>.</summary>
    public void AfterRead(Func<DbCommand, bool> which, Action then) => _afterRead = (which, then);

    /// <summary>Once, makes the first save <paramref name="which"/> matches throw before it writes.</summary>
    public void FailSave(Func<DbContext, bool> which) => _failSave = which;

    public void Clear()
    {
        _afterRead = null;
        _failSave = null;
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (_afterRead is { } hook && hook.Which(command))
        {
            _afterRead = null;
            hook.Then();
        }
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (_failSave is { } which && eventData.Context is { } context && which(context))
        {
            _failSave = null;
            throw new DbUpdateException("Injected failure (test).");
        }
        return ValueTask.FromResult(result);
    }
}

/// <summary>Identity's own hasher, counting how many passwords it checks.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<StaffUser>
{
    private readonly PasswordHasher<StaffUser> _inner = new(Options.Create(new PasswordHasherOptions()));
    private int _verified;

    public int Verified => Volatile.Read(ref _verified);

    public string HashPassword(StaffUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verified);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
