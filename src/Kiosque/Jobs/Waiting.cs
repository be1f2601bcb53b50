namespace Kiosque.Jobs;

/// <summary>Short waits for a background worker on this node to reach a point (a request that must see its effect).</summary>
public static class Waiting
{
    /// <summary>
    /// Polls every few milliseconds until <paramref name="done"/> or the timeout; real time, not
    /// the injected clock, which tests freeze. The caller goes on either way.
    /// </summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done() && waited.Elapsed < timeout)
        {
            await Task.Delay(5, cancellationToken);
        }
    }
}
