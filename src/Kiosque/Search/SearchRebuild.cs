using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Search;

/// <summary>
/// Builds a whole new index generation from the database, beside the live one, then points
/// <c>current</c> at it: the running node swaps to it between two searches and catches up on
/// what changed during the build from the change-log position recorded at its start. Used by
/// <c>kiosque reindex</c> and by a node that starts without an index.
/// </summary>
public static class SearchRebuild
{
    private const int SliceSize = 500;

    /// <param name="progress">Called with the number of articles just indexed, and once first with the total.</param>
    public static async Task<string> RunAsync(IServiceScopeFactory scopes, string root, Action<int, int> progress, CancellationToken cancellationToken)
    {
        long position;
        int total;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
            // Read first: anything that changes while the build runs is after this point in the log,
            // and is replayed on top of the new generation.
            position = await ChangeLogReader.HeadAsync(db, cancellationToken);
            total = await db.Articles.CountAsync(cancellationToken);
        }
        progress(0, total);

        System.IO.Directory.CreateDirectory(root);
        var name = SearchIndex.NewGenerationName(DateTime.UtcNow);
        var path = Path.Combine(root, name);
        using var analyzer = new FrenchSearchAnalyzer(pairs: true);
        try
        {
            using (var directory = FSDirectory.Open(path))
            using (var writer = new IndexWriter(directory, SearchIndex.WriterConfig(analyzer, OpenMode.CREATE, ramBufferMb: 256)))
            {
                // The database read of the next slice overlaps the analysis of this one, which runs
                // on every core (IndexWriter takes documents from several threads).
                var cores = Math.Max(1, Environment.ProcessorCount);
                var next = LoadSliceAsync(scopes, 0, cancellationToken);
                while (true)
                {
                    var slice = await next;
                    if (slice.Count == 0)
                    {
                        break;
                    }
                    next = LoadSliceAsync(scopes, slice[^1].Id, cancellationToken);
                    await Parallel.ForEachAsync(Partition(slice, cores), new ParallelOptions { MaxDegreeOfParallelism = cores, CancellationToken = cancellationToken }, (part, _) =>
                    {
                        foreach (var article in part)
                        {
                            writer.AddDocument(ArticleDocuments.ToDocument(article));
                        }
                        return ValueTask.CompletedTask;
                    });
                    progress(slice.Count, total);
                }
                writer.SetCommitData(SearchIndex.CommitData(position, SearchIndex.Schema));
                writer.Commit();
            }
            SearchIndex.WritePointer(root, name);
            return name;
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    private static async Task<List<IndexedArticle>> LoadSliceAsync(IServiceScopeFactory scopes, int afterId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        return await ArticleDocuments.LoadSliceAsync(db, afterId, SliceSize, cancellationToken);
    }

    private static IEnumerable<List<IndexedArticle>> Partition(List<IndexedArticle> slice, int parts)
    {
        var size = (slice.Count + parts - 1) / parts;
        for (var i = 0; i < slice.Count; i += size)
        {
            yield return slice.GetRange(i, Math.Min(size, slice.Count - i));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next start's clean-up.
        }
    }
}
