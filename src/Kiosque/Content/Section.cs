namespace Kiosque.Content;

public class Section
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>Order in the site navigation.</summary>
    public int Position { get; set; }
}
