using Microsoft.AspNetCore.Identity;

namespace Kiosque.Newsroom;

/// <summary>A newsroom account (journalist, editor, administrator), stored by ASP.NET Core Identity.</summary>
public class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

