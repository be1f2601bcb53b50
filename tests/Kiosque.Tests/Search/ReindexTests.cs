using System.Net;
using System.Text.Json;
using Kiosque.Cli;
using Kiosque.Search;
using Kiosque.Tests.Cli;
using Kiosque.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosque.Tests.Search;

/// <summary><c>kiosque reindex</c> rebuilds beside the live index while the site keeps answering searches, then the site swaps to it.</summary>
[Collection(ConsoleVerbs.Name)]
public abstract class ReindexTests(KiosqueFactory site)
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Reindex_builds_aside_and_swaps_without_stopping_searches()
    {
        using var client = site.Reader();
        var word = "reindex" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(6).ToArray()) + "z";
        var section = _content.Section();
        var articles = Enumerable.Range(1, 30).Select(i => _content.Article(section, $"Archive {i} {word}", TestContent.Now.AddDays(-i))).ToArray<object>();
        await site.WithDbAsync(db => TestContent.SaveAsync(db, [section, .. articles]));
        await site.WaitForSearchIndexAsync();
        var index = site.Services.GetRequiredService<SearchIndex>();
        var before = index.CurrentName;

        // Readers keep searching during the whole rebuild and swap.
        using var stop = new CancellationTokenSource();
        var answers = new List<(HttpStatusCode Status, int Total)>();
        var searching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync($"/api/recherche?q={word}");
                var total = response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt32() : -1;
                answers.Add((response.StatusCode, total));
            }
        });

        var exit = await KiosqueCli.RunAsync([
            "reindex",
            $"--Kiosque:DataDirectory={site.DataDirectory}",
            $"--Database:Provider={site.Kind}",
            $"--ConnectionStrings:Kiosque={site.ConnectionString}",
        ]);
        Assert.Equal(0, exit);
        var pointer = SearchIndex.ReadPointer(index.Root);
        Assert.NotEqual(before, pointer);
        await SearchWaits.EventuallyAsync(() => Task.FromResult(index.CurrentName == pointer), "the site swaps to the new index");
        await Task.Delay(100);
        await stop.CancelAsync();
        await searching;

        Assert.NotEmpty(answers);
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, 30), a));

        // The new generation follows the change log from where the rebuild started.
        var later = _content.Article(section, $"Après la reconstruction {word}");
        await site.WithDbAsync(db => TestContent.SaveAsync(db, later));
        await SearchWaits.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync($"/api/recherche?q={word}");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt32() == 31;
        }, "an article published after the swap is found");
        // The old generation is removed once searches on it are done.
        Assert.True(Directory.Exists(Path.Combine(index.Root, pointer!)));
    }
}

public sealed class ReindexSqliteTests(SqliteSite site) : ReindexTests(site), IClassFixture<SqliteSite>;

public sealed class ReindexPostgresTests(PostgresSite site) : ReindexTests(site), IClassFixture<PostgresSite>;
