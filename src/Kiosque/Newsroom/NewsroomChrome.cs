namespace Kiosque.Newsroom;

/// <summary>What the newsroom layout needs besides the page: title, who is signed in, the current menu entry, a notice.</summary>
public sealed record NewsroomChrome(string Title, Staff? Staff, string Current = "", string? Notice = null, string? Error = null)
{
    /// <summary>Page scripts: only the editor has one.</summary>
    public bool EditorScript { get; init; }
}
