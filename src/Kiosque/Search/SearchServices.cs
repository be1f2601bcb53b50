using Kiosque.ChangeLog;
using Kiosque.Jobs;

namespace Kiosque.Search;

public static class SearchServices
{
    /// <summary>The index and its indexer. The indexer runs only where the host starts it (the web server, see Program.cs).</summary>
    public static IServiceCollection AddKiosqueSearch(this IServiceCollection services)
    {
        services.AddSingleton<SearchIndex>();
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<IContentChangeHandler>(sp => sp.GetRequiredService<SearchIndexer>());
        return services;
    }
}
