namespace Kiosque.Content;

/// <summary>An old public path that answers 301 to a new one (slug changes, imports).</summary>
public class Redirect
{
    public int Id { get; set; }
    public required string FromPath { get; set; }
    public required string ToPath { get; set; }
    public DateTime CreatedAt { get; set; }
}
