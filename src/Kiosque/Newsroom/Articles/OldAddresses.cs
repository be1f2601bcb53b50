using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Newsroom;

/// <summary>
/// The permanent redirects that keep old public addresses (articles, sections, tags, authors)
/// working after a rename: shared links and search results still arrive.
/// </summary>
public static class OldAddresses
{
    /// <summary>
    /// The old address answers 301 to the new one. Older redirects to the old address are pointed
    /// at the new one (no chains: A→B→C makes A→C and B→C), and a redirect from the new address
    /// (an address given back) is dropped (no loops).
    /// </summary>
    public static async Task KeepAsync(KiosqueDb db, string from, string to, DateTime now, CancellationToken cancellationToken)
    {
        var existing = await db.Redirects.Where(r => r.FromPath == from || r.FromPath == to || r.ToPath == from).ToListAsync(cancellationToken);
        foreach (var redirect in existing)
        {
            if (redirect.FromPath == to)
            {
                db.Redirects.Remove(redirect);
            }
            else if (redirect.ToPath == from)
            {
                redirect.ToPath = to;
            }
        }
        var same = existing.FirstOrDefault(r => r.FromPath == from);
        if (same is not null)
        {
            same.ToPath = to;
        }
        else
        {
            db.Redirects.Add(new Redirect { FromPath = from, ToPath = to, CreatedAt = now });
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> is an old address that sends readers somewhere other than
    /// <paramref name="current"/> (the asker's own address: taking back one's own old address is fine).
    /// </summary>
    public static Task<bool> LeadElsewhereAsync(KiosqueDb db, string path, string current, CancellationToken cancellationToken) =>
        db.Redirects.AnyAsync(r => r.FromPath == path && r.ToPath != current, cancellationToken);
}
