namespace Kiosque.Newsroom;

/// <summary>Who did what and when: every state-changing newsroom action leaves one row.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public required string Action { get; set; }
    public string Target { get; set; } = "";
    public string Details { get; set; } = "";
}
