namespace Kiosque.Content;

/// <summary>An author's place in an article's byline; <see cref="Position"/> keeps the byline order.</summary>
public class ArticleAuthor
{
    public int ArticleId { get; set; }
    public int AuthorId { get; set; }
    public Author Author { get; set; } = null!;
    public int Position { get; set; }
}
