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

    /// <summary>
    /// An entry of a live page. <see cref="ContentChange.After"/> says what happened and on which
    /// page (<see cref="LiveEntryChange"/>), so the live stream needs no lookup to route it.
    /// </summary>
    LiveEntry,
}
