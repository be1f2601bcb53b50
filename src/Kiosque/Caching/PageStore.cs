using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Kiosque.Caching;

/// <summary>
/// The in-memory page cache of this node: entries by key, an index from tag to keys, and a byte
/// budget. Reads take no lock; stores and evictions share one, so a render that straddles an
/// eviction can be told and dropped: every eviction bumps <see cref="Epoch"/>, and an entry whose
/// render began in an older epoch is not stored (it may hold what was just evicted).
/// </summary>
public sealed class PageStore(long budgetBytes, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, PageEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _keysByTag = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _epoch;
    private long _size;

    public long Epoch => Interlocked.Read(ref _epoch);

    public int Count => _entries.Count;

    public long Size => Interlocked.Read(ref _size);

    /// <summary>The entry for a key, fresh or expired (an expired one still serves when rendering fails).</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out PageEntry? entry)
    {
        if (_entries.TryGetValue(key, out entry))
        {
            entry.LastUsed = clock.GetTimestamp();
            return true;
        }
        return false;
    }

    /// <summary>Stores an entry unless an eviction happened since its render began; false when dropped.</summary>
    public bool TrySet(string key, PageEntry entry)
    {
        if (entry.Size > budgetBytes / 4)
        {
            return false;
        }
        entry.LastUsed = clock.GetTimestamp();
        entry.Key = key;
        lock (_gate)
        {
            if (entry.Epoch != _epoch)
            {
                return false;
            }
            if (_entries.TryGetValue(key, out var old))
            {
                RemoveLocked(key, old);
            }
            _entries[key] = entry;
            _size += entry.Size;
            foreach (var tag in entry.Tags)
            {
                if (!_keysByTag.TryGetValue(tag, out var keys))
                {
                    _keysByTag[tag] = keys = new HashSet<string>(StringComparer.Ordinal);
                }
                keys.Add(key);
            }
            if (_size > budgetBytes)
            {
                TrimLocked();
            }
        }
        return true;
    }

    /// <summary>An entry made another representation (gzip, identity) after it was stored: counted if it is still here.</summary>
    public void Grew(PageEntry entry, long bytes)
    {
        lock (_gate)
        {
            if (entry.Key is null || !_entries.TryGetValue(entry.Key, out var stored) || !ReferenceEquals(stored, entry))
            {
                return;
            }
            entry.Grow(bytes);
            _size += bytes;
            if (_size > budgetBytes)
            {
                TrimLocked();
            }
        }
    }

    /// <summary>Removes every entry filed under any of these tags; returns how many went.</summary>
    public int Evict(IEnumerable<string> tags)
    {
        var removed = 0;
        lock (_gate)
        {
            _epoch++;
            foreach (var tag in tags)
            {
                if (!_keysByTag.TryGetValue(tag, out var keys))
                {
                    continue;
                }
                foreach (var key in keys.ToArray())
                {
                    if (_entries.TryGetValue(key, out var entry))
                    {
                        RemoveLocked(key, entry);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /// <summary>Takes out one entry, if it is still the one stored under its key.</summary>
    public void Remove(string key, PageEntry entry)
    {
        lock (_gate)
        {
            RemoveLocked(key, entry);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _epoch++;
            _entries.Clear();
            _keysByTag.Clear();
            _size = 0;
        }
    }

    private void RemoveLocked(string key, PageEntry entry)
    {
        if (!_entries.TryRemove(new KeyValuePair<string, PageEntry>(key, entry)))
        {
            return;
        }
        _size -= entry.Size;
        foreach (var tag in entry.Tags)
        {
            if (_keysByTag.TryGetValue(tag, out var keys))
            {
                keys.Remove(key);
                if (keys.Count == 0)
                {
                    _keysByTag.Remove(tag);
                }
            }
        }
    }

    /// <summary>Over budget: drops the least recently served entries down to 80% of it.</summary>
    private void TrimLocked()
    {
        var target = budgetBytes * 8 / 10;
        foreach (var (key, entry) in _entries.ToArray().OrderBy(e => e.Value.LastUsed))
        {
            if (_size <= target)
            {
                break;
            }
            RemoveLocked(key, entry);
        }
    }
}
