using Kiosque.Search;
using Kiosque.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Search;

public static class SearchWaits
{
    /// <summary>Waits (polling, with a deadline) until the site's index reflects every change logged so far.</summary>
    public static async Task WaitForSearchIndexAsync(this KiosqueFactory site, TimeSpan? timeout = null)
    {
        var index = site.Services.GetRequiredService<SearchIndex>();
        var target = await site.WithDbAsync(db => db.ContentChanges.MaxAsync(c => (long?)c.Id)) ?? 0;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (index.Position < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The search index stayed at {index.Position}; the change log is at {target}.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the deadline.</summary>
    public static async Task<TimeSpan> EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (started.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting for: {what}");
            }
            await Task.Delay(25);
        }
        return started.Elapsed;
    }
}
