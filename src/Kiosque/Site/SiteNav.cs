using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Site;

/// <summary>
/// The sections of the navigation, on every page: kept in memory and dropped when a section changes
/// (<see cref="Caching.PageCacheInvalidator"/> follows the change log on every node), so a page
/// render does not query them each time.
/// </summary>
public sealed class SiteNav
{
    private IReadOnlyList<NavSection>? _sections;
    private long _version;

    public async Task<IReadOnlyList<NavSection>> GetAsync(KiosqueDb db, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _sections) is { } sections)
        {
            return sections;
        }
        var version = Interlocked.Read(ref _version);
        var loaded = await db.NavSectionsAsync(cancellationToken);
        // A change that landed while loading wins: keep nothing, the next page loads again.
        if (Interlocked.Read(ref _version) == version)
        {
            Interlocked.CompareExchange(ref _sections, loaded, null);
        }
        return loaded;
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        Volatile.Write(ref _sections, null);
    }
}
