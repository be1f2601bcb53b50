using Kiosque.Data;

namespace Kiosque.Newsroom;

/// <summary>
/// Writes the audit log: added to the same unit of work as the action, so both are saved or neither.
/// Actions and details are codes and neutral data (e-mails, ids, dates), never sentences: the
/// log is read in the newsroom's language of the day (<see cref="AuditText"/>), not the writer's.
/// </summary>
public static class Audit
{
    /// <param name="staff">Who acted; null for the system (the scheduler, the lockout).</param>
    public static void Record(KiosqueDb db, TimeProvider clock, Staff? staff, string action, string target, string details = "")
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            UserId = staff?.Id,
            UserName = Truncate(staff?.Name ?? "", 200),
            Action = action,
            Target = Truncate(target, 400),
            Details = Truncate(details, 2000),
        });
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
