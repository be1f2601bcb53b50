namespace Kiosque.Content;

/// <summary>Whether an article is a live page (« En direct ») and, if so, whether it is still running.</summary>
public enum Coverage
{
    /// <summary>An ordinary article.</summary>
    None,

    /// <summary>A live page taking new entries.</summary>
    Live,

    /// <summary>A live page whose coverage is over: its entries stay, no new ones come.</summary>
    Ended,
}
