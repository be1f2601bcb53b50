using System.Collections.Concurrent;

namespace Kiosque.Newsroom;

/// <summary>
/// Failed sign-ins, counted per client address. Five wrong passwords for one account lock that
/// account for 15 minutes, but only for the address they came from: whoever guesses from there is
/// stopped, while the account's owner, signing in from elsewhere, is not kept out (a lockout
/// anyone could trigger would let them keep the newsroom out). An address that fails
/// <see cref="AttemptsPerAddress"/> times in 15 minutes, on any accounts or on none, is refused
/// altogether until the window passes, so it cannot try one password on every account either.
/// Kept in memory: each node counts its own requests (a restart forgets them), which bounds an
/// attacker to a few guesses per quarter hour per address and node against 12-character passphrases.
/// The client address is the one the configured proxies forward (<see cref="TrustedProxies"/>).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int AttemptsPerAccount = 5;
    public const int AttemptsPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Beyond this many counters, those whose window is over are dropped.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public int Count;
        public DateTimeOffset Since;
        public DateTimeOffset LockedUntil;
    }

    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "-";

    /// <summary>This address has failed too often, whatever the account.</summary>
    public bool AddressBlocked(string address) => Locked("a|" + address);

    /// <summary>This account is locked for this address.</summary>
    public bool AccountBlocked(string address, string userId) => Locked(AccountKey(userId, address));

    /// <summary>Whether the account is locked for any address (the team page shows it).</summary>
    public bool LockedAnywhere(string userId) => _counters.Keys.Any(k => k.StartsWith("u|" + userId + "|", StringComparison.Ordinal) && Locked(k));

    /// <summary>Counts a failure; true when it starts a lockout of the account for this address (audited once).</summary>
    public bool Failed(string address, string? userId)
    {
        Prune();
        Count("a|" + address, AttemptsPerAddress);
        return userId is not null && Count(AccountKey(userId, address), AttemptsPerAccount);
    }

    /// <summary>A right password from this address starts its count for the account again.</summary>
    public void Succeeded(string address, string userId) => _counters.TryRemove(AccountKey(userId, address), out _);

    /// <summary>An administrator's unlock: every address may try the account again.</summary>
    public void Unlock(string userId)
    {
        foreach (var key in _counters.Keys.Where(k => k.StartsWith("u|" + userId + "|", StringComparison.Ordinal)))
        {
            _counters.TryRemove(key, out _);
        }
    }

    private static string AccountKey(string userId, string address) => $"u|{userId}|{address}";

    private bool Locked(string key)
    {
        if (!_counters.TryGetValue(key, out var counter))
        {
            return false;
        }
        lock (counter)
        {
            return counter.LockedUntil > clock.GetUtcNow();
        }
    }

    private bool Count(string key, int limit)
    {
        var now = clock.GetUtcNow();
        var counter = _counters.GetOrAdd(key, _ => new Counter { Since = now });
        lock (counter)
        {
            if (counter.LockedUntil > now)
            {
                return false;
            }
            if (now - counter.Since >= Window)
            {
                (counter.Count, counter.Since) = (0, now);
            }
            counter.Count++;
            if (counter.Count < limit)
            {
                return false;
            }
            (counter.Count, counter.Since, counter.LockedUntil) = (0, now, now + Window);
            return true;
        }
    }

    private void Prune()
    {
        if (_counters.Count <= PruneAbove)
        {
            return;
        }
        var now = clock.GetUtcNow();
        foreach (var (key, counter) in _counters)
        {
            bool stale;
            lock (counter)
            {
                stale = counter.LockedUntil <= now && now - counter.Since >= Window;
            }
            if (stale)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }
}
