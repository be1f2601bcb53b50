namespace Kiosque.Content;

public class Author
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Bio { get; set; } = "";
    public int? PhotoMediaId { get; set; }
    public MediaAsset? Photo { get; set; }
}

