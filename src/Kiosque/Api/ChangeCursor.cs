using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Kiosque.Api;

/// <summary>
/// A client's place in the public changes feed: the last change id it was given, and the ids below
/// it that were missing when it read past them. PostgreSQL hands out change ids at insert, not at
/// commit, so a change may appear after a later one was served; a cursor that were only "after id N"
/// would skip it for good (see <c>ChangeLog/ChangeLogHoles</c>, which nodes use for the same
/// reason). The cursor carries those holes, with when they were first seen, so the feed stays
/// stateless on every node: the next read returns the rows that have since filled a hole, and a
/// hole still empty after <see cref="HoleLifetime"/> was a rolled-back transaction and is dropped.
/// Opaque to clients (base64url); holes are ranges, so a large rollback stays one entry.
/// </summary>
public sealed record ChangeCursor(long Position, IReadOnlyList<ChangeCursor.Hole> Holes)
{
    /// <summary>As for the nodes' readers (<c>ChangeLogHoles.Lifetime</c>): far longer than any content transaction.</summary>
    public static readonly TimeSpan HoleLifetime = TimeSpan.FromSeconds(60);

    /// <summary>At most this many missing ids are remembered, as the nodes' readers do.</summary>
    public const int MaxHoleIds = 10_000;

    /// <summary>At most this many ranges, so a cursor stays a short string.</summary>
    public const int MaxHoles = 100;

    public static readonly ChangeCursor Start = new(0, []);

    /// <summary>Ids <see cref="From"/> to <see cref="To"/> were missing when first read past, at <see cref="SeenAt"/> (Unix seconds).</summary>
    public sealed record Hole(long From, long To, long SeenAt)
    {
        public long Count => To - From + 1;
    }

    public IEnumerable<long> HoleIds => Holes.SelectMany(h => Range(h.From, h.To));

    public string Encode()
    {
        var text = new StringBuilder(Position.ToString(CultureInfo.InvariantCulture));
        foreach (var hole in Holes)
        {
            text.Append('~').Append(hole.From.ToString(CultureInfo.InvariantCulture)).Append('-').Append(hole.To.ToString(CultureInfo.InvariantCulture))
                .Append('.').Append(hole.SeenAt.ToString(CultureInfo.InvariantCulture));
        }
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text.ToString()));
    }

    public static bool TryParse(string? value, out ChangeCursor cursor)
    {
        cursor = Start;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        if (value.Length > 4096 || !Base64Url.IsValid(value))
        {
            return false;
        }
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value)).Split('~');
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return false;
        }
        var holes = new List<Hole>();
        foreach (var part in parts.Skip(1))
        {
            var range = part.Split('-', '.');
            if (range.Length != 3
                || !long.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !long.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || !long.TryParse(range[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seen)
                || from < 1 || to < from || to >= position)
            {
                return false;
            }
            holes.Add(new Hole(from, to, seen));
        }
        if (holes.Count > MaxHoles || holes.Sum(h => h.Count) > MaxHoleIds)
        {
            return false;
        }
        cursor = new ChangeCursor(position, holes);
        return true;
    }

    /// <summary>This cursor once change <paramref name="id"/>, which filled a hole, has been given out.</summary>
    public ChangeCursor Filled(long id) => this with
    {
        Holes = Holes.SelectMany(h => h.From <= id && id <= h.To
            ? new[] { new Hole(h.From, id - 1, h.SeenAt), new Hole(id + 1, h.To, h.SeenAt) }.Where(p => p.From <= p.To)
            : [h]).ToList(),
    };

    /// <summary>
    /// This cursor once change <paramref name="id"/>, past the position, has been given out: the ids
    /// jumped over become holes, unless that change is already older than <see cref="HoleLifetime"/>
    /// (ids are handed out in order, so a missing one was taken before it, by a transaction that has
    /// run longer than any does: a rollback). That keeps a cursor short when a client reads the
    /// archive of the log, whose old holes are all rollbacks.
    /// </summary>
    public ChangeCursor Passed(long id, long changedAt, long now)
    {
        if (id <= Position)
        {
            return this;
        }
        var holes = Holes;
        var remembered = Holes.Sum(h => h.Count);
        if (id > Position + 1 && now - changedAt <= HoleLifetime.TotalSeconds && remembered < MaxHoleIds && Holes.Count < MaxHoles)
        {
            var to = Math.Min(id - 1, Position + MaxHoleIds - remembered);
            holes = [.. Holes, new Hole(Position + 1, to, now)];
        }
        return new ChangeCursor(id, holes);
    }

    /// <summary>Drops the holes first seen longer ago than <see cref="HoleLifetime"/>: their transactions rolled back.</summary>
    public ChangeCursor WithoutExpired(long now) => this with
    {
        Holes = Holes.Where(h => now - h.SeenAt <= HoleLifetime.TotalSeconds).ToList(),
    };

    private static IEnumerable<long> Range(long from, long to)
    {
        for (var id = from; id <= to; id++)
        {
            yield return id;
        }
    }
}
