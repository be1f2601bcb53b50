namespace Kiosque.Newsroom;

/// <summary>The three roles. An editor can do what a contributor can; an admin what an editor can.</summary>
public static class Roles
{
    public const string Contributor = "contributor";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static readonly string[] All = [Contributor, Editor, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
