using Microsoft.AspNetCore.Identity;

namespace Kiosque.Newsroom;

/// <summary>A newsroom account (journalist, editor, administrator), stored by ASP.NET Core Identity.</summary>
public class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>The three roles. An editor can do what a contributor can; an admin what an editor can.</summary>
public static class Roles
{
    public const string Contributor = "contributor";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static readonly string[] All = [Contributor, Editor, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

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

/// <summary>A newsroom-wide setting an administrator changes at run time (e.g. mandatory two-factor).</summary>
public class NewsroomSetting
{
    public required string Key { get; set; }
    public string Value { get; set; } = "";
}
