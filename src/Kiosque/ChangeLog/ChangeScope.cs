namespace Kiosque.ChangeLog;

/// <summary>What a change touched: an article, or something many pages show.</summary>
public enum ChangeScope
{
    Article,
    Section,
    Tag,
    Author,
    Media,
    Redirect,

    /// <summary>Homepage curation (lead story, featured pieces); the id is the slot's position.</summary>
    Home,
}
