namespace Kiosque.Content;

/// <summary>A public, dated correction note shown on the article.</summary>
public class Correction
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public DateTime At { get; set; }
    public required string Text { get; set; }
}
