namespace Kiosque.Content;

/// <summary>A curated place on the home page: position 0 is the lead story, the next ones are featured pieces.</summary>
public class HomeSlot
{
    public int Position { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
}
