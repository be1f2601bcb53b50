using System.Globalization;
using Kiosque.Content;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Kiosque.ChangeLog;

/// <summary>
/// What a <see cref="ChangeScope.LiveEntry"/> change row says in <see cref="ContentChange.After"/>:
/// the kind of event (<c>entry</c>, <c>edit</c>, <c>pin</c>, <c>unpin</c>, <c>delete</c>) and the
/// live page's article id, as <c>"edit 12"</c>. Written by <see cref="ChangeRecorder"/> from the
/// tracked entry, so the stream and the caches route it without reading the entry back.
/// </summary>
public readonly record struct LiveEntryChange(string Kind, int ArticleId)
{
    public const string Posted = "entry";
    public const string Edited = "edit";
    public const string PinnedKind = "pin";
    public const string Unpinned = "unpin";
    public const string DeletedKind = "delete";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {ArticleId}");

    public static LiveEntryChange? Parse(ContentChange change)
    {
        if (change.Scope != ChangeScope.LiveEntry || change.After is null)
        {
            return null;
        }
        var space = change.After.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && int.TryParse(change.After.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var article)
            ? new LiveEntryChange(change.After[..space], article)
            : null;
    }

    internal static string KindOf(EntityEntry<LiveEntry> entry) =>
        entry.State == EntityState.Added ? Posted
        : entry.Property(e => e.DeletedAt).IsModified && entry.Entity.DeletedAt is not null ? DeletedKind
        : entry.Property(e => e.Pinned).IsModified ? (entry.Entity.Pinned ? PinnedKind : Unpinned)
        : Edited;
}
