namespace Kiosque.Content;

/// <summary>
/// A picture an article's body shows (its hero is a column of the article). Kept by
/// <see cref="ArticlePictures"/> on every save, so "which pieces show this picture" is an indexed
/// read instead of a search through every body.
/// </summary>
public class ArticlePicture
{
    public int ArticleId { get; set; }
    public int MediaAssetId { get; set; }
}
