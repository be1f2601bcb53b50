using Kiosque.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kiosque.Tests.Infrastructure;

/// <summary>
/// A site whose <see cref="TimeProvider"/> is a fake clock that tests move forward (schedules,
/// link expiry, session checks); the scheduler only runs when a test calls it.
/// </summary>
public class ClockSite(DatabaseKind kind, IDictionary<string, string?>? settings = null)
    : KiosqueFactory(kind, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Kiosque:SchedulerSeconds"] = "3600" })
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task<int> PublishDueAsync() => Services.GetRequiredService<ScheduledPublisher>().PublishDueAsync();
}
