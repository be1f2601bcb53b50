using System.Collections.Concurrent;
using System.Globalization;
using Kiosque.Content;
using Kiosque.Jobs;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Queries.Mlt;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Extensions.Options;

namespace Kiosque.Search;

public enum SearchSort
{
    Relevance,
    Date,
}

/// <summary>A search as the site or the newsroom asks it. Filters are slugs; dates are UTC instants.</summary>
public sealed record SearchRequest
{
    public string? Text { get; init; }
    public string? Section { get; init; }
    public string? Tag { get; init; }
    public string? Author { get; init; }

    /// <summary>Inclusive.</summary>
    public DateTime? From { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTime? Until { get; init; }

    public SearchSort Sort { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 12;

    /// <summary>Staff only: drafts, pieces in review, scheduled and unpublished ones too. Public pages never set it.</summary>
    public bool IncludeUnpublished { get; init; }
}

public sealed record SearchHit(
    int Id,
    string Slug,
    string Kicker,
    string Headline,
    string Standfirst,
    ArticleStatus Status,
    DateTime Date,
    string SectionSlug,
    string SectionName,
    IReadOnlyList<string> Authors,
    string? Snippet,
    float Score);

public sealed record SearchResults(UserQueryProblem Problem, IReadOnlyList<SearchHit> Hits, int Total, int Page, int PageSize, bool Available = true)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public static SearchResults Refused(UserQueryProblem problem, SearchRequest request) => new(problem, [], 0, request.Page, request.PageSize);
}

/// <summary>
/// The search index of this node, under <c>{DataDirectory}/search</c>. The index lives in a
/// generation folder (<c>index-…</c>) named by the file <c>current</c>: a rebuild writes a new
/// generation beside the live one and then rewrites <c>current</c>, and the node swaps to it
/// between two searches, so searches never stop. Only the indexer (<see cref="SearchIndexer"/>)
/// writes; any thread searches. Each commit carries the position in the change log it reflects.
/// </summary>
public sealed partial class SearchIndex : IDisposable
{
    public const string PointerFileName = "current";
    public const string PositionKey = "changelog-position";
    public const string SchemaKey = "schema";

    /// <summary>
    /// What the documents hold; raise it when <see cref="ArticleDocuments.ToDocument"/> or the
    /// analyser changes, and every node rebuilds its index aside (searching the old one meanwhile).
    /// 1: first version (no schema key); 2: word pairs, ids as doc values.
    /// </summary>
    public const int Schema = 2;

    /// <summary>Deep pages cost memory for every result before them; nobody reads result 10,001.</summary>
    public const int MaxWindow = 10_000;

    private static readonly Sort NewestFirst = new(new SortField(SearchFields.Date, SortFieldType.INT64, true));

    private readonly TimeProvider _clock;
    private readonly ILogger<SearchIndex> _logger;
    private readonly Filter _publicOnly = new CachingWrapperFilter(new TermFilter(new Term(SearchFields.Visibility, SearchFields.Public)));
    private Generation? _current;

    /// <summary>
    /// Related articles found since the last change to what readers can see, by article.
    /// MoreLikeThis reads every word of the body and looks each one up: two thirds of an article
    /// page's render at 100,000 articles, paid again whenever a page leaves the page cache (its
    /// budget, its lifetime, or the cache turned off). Any change to a public article empties it,
    /// so a new piece joins its neighbours' lists at once; drafts saved in the newsroom do not.
    /// </summary>
    private readonly ConcurrentDictionary<int, RelatedEntry> _related = new();

    /// <summary>Counts the public changes made searchable; a list found across one is not kept.</summary>
    private long _relatedEpoch;

    private sealed record RelatedEntry(int Count, int[] Ids, long ExpiresAt);

    private const int MaxRelatedEntries = 50_000;

    private static readonly TimeSpan RelatedLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Pieces of the same section this recent are related even without a word or tag in common.</summary>
    private static readonly TimeSpan RecentInSection = TimeSpan.FromDays(30);

    public SearchIndex(IOptions<KiosqueOptions> options, TimeProvider clock, ILogger<SearchIndex> logger)
    {
        _clock = clock;
        _logger = logger;
        Root = Path.Combine(options.Value.FullDataDirectory, "search");
        _memoryMapped = options.Value.SearchMemoryMapped;
    }

    private readonly bool _memoryMapped;

    public string Root { get; }

    public Analyzer Analyzer { get; } = new FrenchSearchAnalyzer();

    /// <summary>The writer's: the same words, and word pairs in the text field.</summary>
    private readonly Analyzer _indexing = new FrenchSearchAnalyzer(pairs: true);

    /// <summary>False until a generation is open (first start builds one; see <see cref="SearchIndexer"/>).</summary>
    public bool IsReady => Volatile.Read(ref _current) is not null;

    /// <summary>The generation folder being searched, e.g. <c>index-20261124T050000Z-1a2b</c>.</summary>
    public string? CurrentName => Volatile.Read(ref _current)?.Name;

    /// <summary>The last change-log row the searchable index reflects; -1 before it is open.</summary>
    public long Position => Volatile.Read(ref _current)?.Position ?? -1;

    /// <summary>The generation the pointer file names, or null.</summary>
    public static string? ReadPointer(string root)
    {
        try
        {
            var name = File.ReadAllText(Path.Combine(root, PointerFileName)).Trim();
            return name.Length > 0 && System.IO.Directory.Exists(Path.Combine(root, name)) ? name : null;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Points at a new generation; the rename is atomic, so a reader sees the old name or the new one.</summary>
    public static void WritePointer(string root, string name)
    {
        var temporary = Path.Combine(root, PointerFileName + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        File.WriteAllText(temporary, name);
        File.Move(temporary, Path.Combine(root, PointerFileName), overwrite: true);
    }

    public static string NewGenerationName(DateTime utcNow) =>
        "index-" + utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    internal static IndexWriterConfig WriterConfig(Analyzer analyzer, OpenMode mode, double ramBufferMb) => new(FrenchSearchAnalyzer.Version, analyzer)
    {
        OpenMode = mode,
        Similarity = new BM25Similarity(),
        RAMBufferSizeMB = ramBufferMb,
        // Compound files save file handles by copying every segment once more; a rebuild of the
        // whole archive cannot afford the copy, and one index has few segments anyway.
        UseCompoundFile = false,
        MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 },
    };

    /// <summary>The change-log position stored with a commit (0 for an index that never recorded one).</summary>
    internal static long ReadPosition(IDictionary<string, string>? commitData) =>
        commitData is not null && commitData.TryGetValue(PositionKey, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : 0;

    /// <summary>The schema a commit's documents follow (1 for an index from before schemas were recorded).</summary>
    internal static int ReadSchema(IDictionary<string, string>? commitData) =>
        commitData is not null && commitData.TryGetValue(SchemaKey, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var schema) ? schema : 1;

    internal static Dictionary<string, string> CommitData(long position, int schema) => new()
    {
        [PositionKey] = position.ToString(CultureInfo.InvariantCulture),
        [SchemaKey] = schema.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>True when the index being searched was written by an older version: build a new one.</summary>
    internal bool IsOutdated => Volatile.Read(ref _current) is { } current && current.Schema < Schema;

    /// <summary>
    /// Opens the generation the pointer names when it is not the one being searched (first open,
    /// or a rebuild finished in this process or in <c>kiosque reindex</c>). True when it swapped.
    /// </summary>
    internal bool OpenCurrent()
    {
        var name = ReadPointer(Root);
        var current = Volatile.Read(ref _current);
        if (name is null || name == current?.Name)
        {
            return false;
        }
        var opened = Generation.Open(Path.Combine(Root, name), name, _indexing, _memoryMapped);
        var old = Interlocked.Exchange(ref _current, opened);
        Interlocked.Increment(ref _relatedEpoch);
        _related.Clear();
        LogOpened(_logger, name, opened.Position);
        if (old is not null)
        {
            old.Dispose();
            DeleteLater(old.Path);
        }
        return true;
    }

    /// <summary>Removes generation folders nothing points at (a rebuild that died half-way, an old swap).</summary>
    internal void DeleteStaleGenerations()
    {
        if (!System.IO.Directory.Exists(Root))
        {
            return;
        }
        var keep = ReadPointer(Root);
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Root, "index-*"))
        {
            if (Path.GetFileName(folder) != keep && !IsLocked(folder))
            {
                TryDelete(folder);
            }
        }
    }

    /// <summary>Writes changed articles and removed ones, records the log position, and makes it all searchable.</summary>
    internal void Apply(IReadOnlyList<IndexedArticle> upserts, IEnumerable<int> deletes, long position)
    {
        var generation = Volatile.Read(ref _current) ?? throw new InvalidOperationException("The search index is not open.");
        var publicChange = false;
        var privateChanges = new List<int>();
        foreach (var id in deletes)
        {
            generation.Writer.DeleteDocuments(new Term(SearchFields.Id, id.ToString(CultureInfo.InvariantCulture)));
            publicChange = true;
        }
        foreach (var article in upserts)
        {
            generation.Writer.UpdateDocument(new Term(SearchFields.Id, article.Id.ToString(CultureInfo.InvariantCulture)), ArticleDocuments.ToDocument(article));
            if (article.IsPublic)
            {
                publicChange = true;
            }
            else
            {
                // Unpublished: other lists still name it, but their cards are read through Published().
                privateChanges.Add(article.Id);
            }
        }
        // The generation's own schema: an outdated one stays outdated until it is rebuilt.
        generation.Writer.SetCommitData(CommitData(position, generation.Schema));
        generation.Writer.Commit();
        // Searchable first, then the position moves: whoever waits on the position finds the change.
        generation.Searchers.MaybeRefreshBlocking();
        // Related lists found before the refresh are dropped after it, and a search still running
        // on the old reader will not store its list (see RelatedEpoch).
        if (publicChange)
        {
            Interlocked.Increment(ref _relatedEpoch);
            _related.Clear();
        }
        foreach (var id in privateChanges)
        {
            _related.TryRemove(id, out _);
        }
        generation.Position = position;
    }

    public SearchResults Search(SearchRequest request)
    {
        var parsed = UserQuery.Parse(request.Text, Analyzer, pairs: !IsOutdated);
        if (parsed.Problem != UserQueryProblem.None)
        {
            return SearchResults.Refused(parsed.Problem, request);
        }
        var pageSize = Math.Clamp(request.PageSize, 1, 100);
        var page = Math.Max(1, request.Page);
        // In long: a huge page number (the newsroom search takes any int) would wrap to a negative
        // skip, pass the window check below and reach Lucene as a negative hit count.
        var skip = (long)(page - 1) * pageSize;
        Query query = parsed.Query ?? new MatchAllDocsQuery();
        var byDate = request.Sort == SearchSort.Date || parsed.IsEmpty;
        var recency = new Recency(_clock.GetUtcNow().UtcDateTime.Ticks, Weight: 0.25, HalfLifeDays: 180);
        var filter = Filters(request);
        var results = WithSearcher(searcher =>
        {
            if (skip >= MaxWindow)
            {
                var count = new TotalHitCountCollector();
                searcher.Search(query, filter, count);
                return new SearchResults(UserQueryProblem.None, [], count.TotalHits, page, pageSize);
            }
            var wanted = (int)skip + pageSize;
            var top = byDate ? searcher.Search(query, filter, wanted, NewestFirst) : recency.Rescore(searcher, searcher.Search(query, filter, Recency.Window(wanted)));
            var hits = new List<SearchHit>(pageSize);
            foreach (var scored in top.ScoreDocs.Skip((int)skip).Take(pageSize))
            {
                hits.Add(ToHit(searcher.Doc(scored.Doc), scored.Score, parsed.Terms));
            }
            return new SearchResults(UserQueryProblem.None, hits, top.TotalHits, page, pageSize);
        });
        return results ?? new SearchResults(UserQueryProblem.None, [], 0, page, pageSize, Available: false);
    }

    /// <summary>
    /// Published articles like this one: MoreLikeThis from its body's words (searched in the
    /// other articles' whole text), plus shared tags and section, recent pieces favoured, itself
    /// left out. Null when the index cannot answer (not built yet, empty, failing), so the page
    /// falls back to its plain query.
    /// </summary>
    public IReadOnlyList<int>? Related(int articleId, string text, IReadOnlyCollection<string> tagSlugs, string sectionSlug, int count)
    {
        var now = _clock.GetTimestamp();
        if (_related.TryGetValue(articleId, out var known) && known.Count == count && known.ExpiresAt > now)
        {
            return known.Ids;
        }
        var epoch = Interlocked.Read(ref _relatedEpoch);
        var found = FindRelated(articleId, text, tagSlugs, sectionSlug, count);
        if (found is not null && Interlocked.Read(ref _relatedEpoch) == epoch)
        {
            if (_related.Count >= MaxRelatedEntries)
            {
                _related.Clear();
            }
            _related[articleId] = new RelatedEntry(count, [.. found], now + (long)(RelatedLifetime.TotalSeconds * _clock.TimestampFrequency));
        }
        return found;
    }

    private IReadOnlyList<int>? FindRelated(int articleId, string text, IReadOnlyCollection<string> tagSlugs, string sectionSlug, int count)
    {
        return WithSearcher<IReadOnlyList<int>?>(searcher =>
        {
            if (searcher.IndexReader.NumDocs == 0)
            {
                return null;
            }
            var like = new BooleanQuery();
            var mlt = new MoreLikeThis(searcher.IndexReader)
            {
                Analyzer = Analyzer,
                FieldNames = [SearchFields.Text],
                MinTermFreq = 1,
                MinDocFreq = 2,
                MinWordLen = 3,
                MaxQueryTerms = 15,
                // The opening of a piece says what it is about; every further word read costs a
                // lookup in the term dictionary (half of the related search at 100,000 articles).
                MaxNumTokensParsed = 300,
                // A word found in one piece in a hundred says little about what a piece is about,
                // and costs the most to look up and score.
                MaxDocFreq = Math.Max(50, searcher.IndexReader.NumDocs / 100),
                ApplyBoost = true,
            };
            // Candidates share a telling word or a tag, or are recent pieces of the same section;
            // the section then ranks every candidate. Letting the section alone make a candidate
            // would score every piece it ever had (a seventh of the archive) for each related list.
            var candidates = new BooleanQuery();
            if (!string.IsNullOrWhiteSpace(text) && mlt.Like(new StringReader(text), SearchFields.Text) is BooleanQuery { Clauses.Count: > 0 } words)
            {
                candidates.Add(words, Occur.SHOULD);
            }
            foreach (var tag in tagSlugs)
            {
                candidates.Add(new TermQuery(new Term(SearchFields.TagSlug, tag)) { Boost = 2f }, Occur.SHOULD);
            }
            var now = _clock.GetUtcNow().UtcDateTime;
            candidates.Add(new BooleanQuery
            {
                { new TermQuery(new Term(SearchFields.SectionSlug, sectionSlug)), Occur.MUST },
                { NumericRangeQuery.NewInt64Range(SearchFields.Date, (now - RecentInSection).Ticks, null, true, true), Occur.MUST },
            }, Occur.SHOULD);
            like.Add(candidates, Occur.MUST);
            like.Add(new TermQuery(new Term(SearchFields.SectionSlug, sectionSlug)) { Boost = 1f }, Occur.SHOULD);
            like.Add(new TermQuery(new Term(SearchFields.Id, articleId.ToString(CultureInfo.InvariantCulture))), Occur.MUST_NOT);
            var recency = new Recency(_clock.GetUtcNow().UtcDateTime.Ticks, Weight: 1, HalfLifeDays: 60);
            var top = recency.Rescore(searcher, searcher.Search(like, _publicOnly, Recency.Window(count)));
            top.ScoreDocs = top.ScoreDocs.Take(count).ToArray();
            return top.ScoreDocs.Select(d => ArticleId(searcher, d.Doc)).ToList();
        });
    }

    /// <summary>
    /// Waits (briefly) until the index reflects change <paramref name="position"/> of the log. A
    /// page evicted by a change is rendered again at once, often before this node's indexer has
    /// applied the same change: its related list must not come from the index as it was.
    /// </summary>
    public async Task CatchUpToAsync(long position, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Waiting.UntilAsync(() => !IsReady || Position >= position, timeout, cancellationToken);
    }

    /// <summary>How many documents the searchable index holds (0 when it is not open).</summary>
    public int Count => WithSearcher(s => (int?)s.IndexReader.NumDocs) ?? 0;

    private static readonly HashSet<string> IdOnly = [SearchFields.Id];

    /// <summary>
    /// The article id of a hit, from its doc value: reading it from the stored fields would
    /// decompress the whole stored article (the body kept for snippets) for one number, and map
    /// a page of the index into the server's memory for every related list.
    /// </summary>
    private static int ArticleId(IndexSearcher searcher, int doc)
    {
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var ids = leaf.AtomicReader.GetNumericDocValues(SearchFields.Id);
        return ids is not null
            ? (int)ids.Get(doc - leaf.DocBase)
            : int.Parse(searcher.Doc(doc, IdOnly).Get(SearchFields.Id, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private Filter Filters(SearchRequest request)
    {
        var filter = new BooleanFilter();
        if (!request.IncludeUnpublished)
        {
            filter.Add(new FilterClause(_publicOnly, Occur.MUST));
        }
        AddTerm(filter, SearchFields.SectionSlug, request.Section);
        AddTerm(filter, SearchFields.TagSlug, request.Tag);
        AddTerm(filter, SearchFields.AuthorSlug, request.Author);
        if (request.From is not null || request.Until is not null)
        {
            filter.Add(new FilterClause(NumericRangeFilter.NewInt64Range(SearchFields.Date, request.From?.Ticks, request.Until?.Ticks, true, false), Occur.MUST));
        }
        // An empty BooleanFilter matches nothing; staff searches without filters match everything.
        return filter.Any() ? filter : new QueryWrapperFilter(new MatchAllDocsQuery());
    }

    private static void AddTerm(BooleanFilter filter, string field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            filter.Add(new FilterClause(new TermFilter(new Term(field, value)), Occur.MUST));
        }
    }

    private SearchHit ToHit(Lucene.Net.Documents.Document document, float score, IReadOnlySet<string> terms)
    {
        var snippet = Snippets.Make(Analyzer, document.Get(SearchFields.Body, CultureInfo.InvariantCulture), terms)
            ?? Snippets.Make(Analyzer, document.Get(SearchFields.Quotes, CultureInfo.InvariantCulture), terms)
            ?? Snippets.Make(Analyzer, document.Get(SearchFields.Standfirst, CultureInfo.InvariantCulture), terms);
        return new SearchHit(
            int.Parse(document.Get(SearchFields.Id, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            document.Get(SearchFields.Slug, CultureInfo.InvariantCulture),
            document.Get(SearchFields.Kicker, CultureInfo.InvariantCulture) ?? "",
            document.Get(SearchFields.Headline, CultureInfo.InvariantCulture) ?? "",
            document.Get(SearchFields.Standfirst, CultureInfo.InvariantCulture) ?? "",
            Enum.Parse<ArticleStatus>(document.Get(SearchFields.Status, CultureInfo.InvariantCulture)),
            new DateTime(document.GetField(SearchFields.Date).GetInt64Value() ?? 0, DateTimeKind.Utc),
            document.Get(SearchFields.SectionSlug, CultureInfo.InvariantCulture) ?? "",
            document.Get(SearchFields.Section, CultureInfo.InvariantCulture) ?? "",
            document.GetValues(SearchFields.Authors, CultureInfo.InvariantCulture),
            snippet,
            float.IsNaN(score) ? 0 : score);
    }

    /// <summary>Runs a read on the current generation; null when there is none or it fails.</summary>
    private T? WithSearcher<T>(Func<IndexSearcher, T> read)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var generation = Volatile.Read(ref _current);
            if (generation is null)
            {
                return default;
            }
            IndexSearcher searcher;
            try
            {
                searcher = generation.Searchers.Acquire();
            }
            catch (ObjectDisposedException)
            {
                // Swapped for a new generation between the read and the acquire: take the new one.
                continue;
            }
            try
            {
                return read(searcher);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                LogSearchFailed(_logger, exception);
                return default;
            }
            finally
            {
                generation.Searchers.Release(searcher);
            }
        }
        return default;
    }

    /// <summary>True when a writer holds the folder: a rebuild still running in <c>kiosque reindex</c>.</summary>
    private static bool IsLocked(string folder)
    {
        try
        {
            using var directory = FSDirectory.Open(folder);
            return IndexWriter.IsLocked(directory);
        }
        catch (IOException)
        {
            return true;
        }
    }

    private void DeleteLater(string folder) =>
        // Searches that started on the old generation finish on it first.
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => TryDelete(folder), TaskScheduler.Default);

    private void TryDelete(string folder)
    {
        try
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(_logger, folder, exception);
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _current, null)?.Dispose();
        Analyzer.Dispose();
        _indexing.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Search index {Name} open at change-log position {Position}.")]
    private static partial void LogOpened(ILogger logger, string name, long position);

    [LoggerMessage(LogLevel.Warning, "A search failed.")]
    private static partial void LogSearchFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Could not delete the old search index {Folder}.")]
    private static partial void LogDeleteFailed(ILogger logger, string folder, Exception exception);

    /// <summary>One open index folder: its writer, and the searchers that see the writer's changes at once.</summary>
    private sealed class Generation : IDisposable
    {
        private long _position;

        private Generation(string path, string name, FSDirectory directory, IndexWriter writer, SearcherManager searchers, long position, int schema)
        {
            Schema = schema;
            Path = path;
            Name = name;
            Directory = directory;
            Writer = writer;
            Searchers = searchers;
            _position = position;
        }

        public string Path { get; }
        public string Name { get; }
        public int Schema { get; }
        public FSDirectory Directory { get; }
        public IndexWriter Writer { get; }
        public SearcherManager Searchers { get; }

        public long Position
        {
            get => Interlocked.Read(ref _position);
            set => Interlocked.Exchange(ref _position, value);
        }

        public static Generation Open(string path, string name, Analyzer analyzer, bool memoryMapped)
        {
            // Lucene.Net's memory-mapped inputs track every clone a query makes in a weak table of
            // their own, and those tables keep their high-water size: serving 6,000 different
            // article pages (each a MoreLikeThis query) left 60 MB of them alive, and the server at
            // 423 MB resident instead of 295 MB with positioned file reads (docs/performance.md).
            FSDirectory directory = memoryMapped ? new MMapDirectory(path) : new NIOFSDirectory(path);
            var writer = new IndexWriter(directory, WriterConfig(analyzer, OpenMode.CREATE_OR_APPEND, ramBufferMb: 16));
            var searchers = new SearcherManager(writer, applyAllDeletes: true, new Bm25SearcherFactory());
            var commitData = writer.CommitData;
            return new Generation(path, name, directory, writer, searchers, ReadPosition(commitData), ReadSchema(commitData));
        }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
            Directory.Dispose();
        }
    }

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }
}

/// <summary>
/// A gentle boost for recent pieces: a match's score is multiplied by 1 + weight for today's,
/// 1 + weight/2 at the half-life, fading towards 1 for the archive. It is applied to the best
/// matches only (a window a few times larger than what is shown), then they are re-sorted: a
/// boost this small cannot lift a piece from far down the list, and scoring every match of a
/// common word against its date would cost more than the search itself.
/// </summary>
internal readonly record struct Recency(long NowTicks, double Weight, double HalfLifeDays)
{
    public static int Window(int wanted) => Math.Clamp(wanted * 4, 100, SearchIndex.MaxWindow);

    public TopDocs Rescore(IndexSearcher searcher, TopDocs top)
    {
        var leaves = searcher.IndexReader.Leaves;
        var dates = new NumericDocValues?[leaves.Count];
        var rescored = new ScoreDoc[top.ScoreDocs.Length];
        for (var i = 0; i < rescored.Length; i++)
        {
            var hit = top.ScoreDocs[i];
            var leaf = ReaderUtil.SubIndex(hit.Doc, leaves);
            dates[leaf] ??= leaves[leaf].AtomicReader.GetNumericDocValues(SearchFields.Date);
            var ticks = dates[leaf]?.Get(hit.Doc - leaves[leaf].DocBase) ?? NowTicks;
            var ageDays = Math.Max(0, (NowTicks - ticks) / (double)TimeSpan.TicksPerDay);
            rescored[i] = new ScoreDoc(hit.Doc, hit.Score * (float)(1 + (Weight * HalfLifeDays / (HalfLifeDays + ageDays))));
        }
        // Stable on ties: the order Lucene gave (score, then index order) breaks them.
        var ordered = rescored.Select((d, i) => (d, i)).OrderByDescending(x => x.d.Score).ThenBy(x => x.i).Select(x => x.d).ToArray();
        return new TopDocs(top.TotalHits, ordered, ordered.Length == 0 ? float.NaN : ordered[0].Score);
    }
}
