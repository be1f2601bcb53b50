namespace Kiosque.Content;

public enum ArticleStatus
{
    Draft,
    Review,
    Scheduled,
    Published,
    Unpublished,
}
