using System.Data.Common;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kiosque.ChangeLog;

/// <summary>
/// Tells this node's <see cref="ChangeFeed"/> the moment a transaction that wrote change-log rows
/// commits, whoever opened the transaction (the door itself, or a caller saving several steps in
/// one transaction), so the node reacts at once instead of at its next poll. Other nodes learn of
/// it from their own poll of the log.
/// </summary>
public sealed class ChangeCommits : DbTransactionInterceptor
{
    public static readonly ChangeCommits Instance = new();

    /// <summary>Raised after a commit that wrote change-log rows.</summary>
    public static event Action? Committed;

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Signal(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Signal(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Signal(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is KiosqueDb { ChangesAwaitingCommit: true } db)
        {
            db.ChangesAwaitingCommit = false;
            Committed?.Invoke();
        }
    }

    private static void Forget(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is KiosqueDb db)
        {
            db.ChangesAwaitingCommit = false;
        }
    }
}
