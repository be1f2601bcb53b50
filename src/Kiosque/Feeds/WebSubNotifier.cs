using System.Threading.Channels;
using Kiosque.ChangeLog;
using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Jobs;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kiosque.Feeds;

/// <summary>
/// Tells the WebSub hub (<c>Kiosque:WebSubHub</c>) which feeds changed, so subscribers get a new
/// article in seconds rather than at their next poll. It follows the change log like every other
/// reaction to content, and sends from its own loop: a slow or unreachable hub never holds up the
/// other handlers (search, cache purges), and a failed notification is only logged, since readers'
/// regular polling still brings the article.
/// </summary>
public sealed partial class WebSubNotifier(IServiceScopeFactory scopes, IOptions<SyndicationOptions> syndication, IOptions<KiosqueOptions> site, ILogger<WebSubNotifier> logger)
    : BackgroundService, IContentChangeHandler
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // Bursts (an import) collapse into a few notifications; past this many waiting, the oldest are
    // dropped, which costs subscribers only the wait until their next poll.
    private readonly Channel<IReadOnlyCollection<string>> _pending = Channel.CreateBounded<IReadOnlyCollection<string>>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout };
    private bool _warnedNoPublicUrl;

    public async Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        if (syndication.Value.WebSubHubUri is null || !changes.Any(c => c.Scope is ChangeScope.Article or ChangeScope.Section or ChangeScope.Tag or ChangeScope.Author))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(site.Value.PublicUrl))
        {
            // The hub fetches feeds by their public address, which only the operator knows.
            if (!_warnedNoPublicUrl)
            {
                LogNoPublicUrl(logger);
                _warnedNoPublicUrl = true;
            }
            return;
        }
        var topics = await AffectedFeedsAsync(changes, cancellationToken);
        if (topics.Count > 0)
        {
            _pending.Writer.TryWrite(topics);
        }
    }

    /// <summary>
    /// The site's feeds, and those of every section, tag and author a changed article was listed
    /// in just before the change or is listed in after it: the lists it left change too (a move
    /// to another section, a removed tag, an unpublication or a deletion). Both are read from the
    /// change log's rows (<see cref="ArticleMemberships"/>, recorded in the change's transaction,
    /// the same record the page cache evicts by), since the database no longer knows the old ones.
    /// </summary>
    private async Task<IReadOnlyCollection<string>> AffectedFeedsAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        var pages = new HashSet<string>(StringComparer.Ordinal);
        var sections = new HashSet<int>();
        var tags = new HashSet<int>();
        var authors = new HashSet<int>();
        foreach (var change in changes.Where(c => c.Scope == ChangeScope.Article))
        {
            foreach (var memberships in new[] { change.Before, change.After })
            {
                var lists = ArticleMemberships.Lists(memberships);
                sections.UnionWith(lists.Sections);
                tags.UnionWith(lists.Tags);
                authors.UnionWith(lists.Authors);
            }
        }
        if (sections.Count > 0)
        {
            // Listed somewhere before or after: the site's own feeds changed too. (A draft's
            // edits change no feed.)
            pages.Add("/");
        }
        // A renamed section, tag or author changes the title of its feed, and the categories and
        // bylines of entries in the site's feeds.
        foreach (var change in changes.Where(c => !c.Deleted && c.Scope is ChangeScope.Section or ChangeScope.Tag or ChangeScope.Author))
        {
            (change.Scope switch { ChangeScope.Section => sections, ChangeScope.Tag => tags, _ => authors }).Add(change.EntityId);
            pages.Add("/");
        }
        if (pages.Count == 0)
        {
            return [];
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        // Lists deleted since have no feed any more and are not found here.
        if (sections.Count > 0)
        {
            pages.UnionWith((await db.Sections.AsNoTracking().Where(s => sections.Contains(s.Id)).Select(s => s.Slug).ToListAsync(cancellationToken)).Select(SiteFormat.SectionPath));
        }
        if (tags.Count > 0)
        {
            pages.UnionWith((await db.Tags.AsNoTracking().Where(t => tags.Contains(t.Id)).Select(t => t.Slug).ToListAsync(cancellationToken)).Select(SiteFormat.TagPath));
        }
        if (authors.Count > 0)
        {
            pages.UnionWith((await db.Authors.AsNoTracking().Where(a => authors.Contains(a.Id)).Select(a => a.Slug).ToListAsync(cancellationToken)).Select(SiteFormat.AuthorPath));
        }
        var origin = site.Value.PublicUrl!.TrimEnd('/');
        return pages.SelectMany(page => FeedPaths.Formats.Select(format => origin + FeedPaths.For(page, format))).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hub = syndication.Value.WebSubHubUri;
        if (hub is null)
        {
            return;
        }
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                var topics = new SortedSet<string>(StringComparer.Ordinal);
                while (_pending.Reader.TryRead(out var batch))
                {
                    topics.UnionWith(batch);
                }
                await PublishAsync(hub, topics, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One <c>hub.mode=publish</c> request naming every changed feed (<c>hub.url</c> repeated).</summary>
    private async Task PublishAsync(Uri hub, IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("hub.mode", "publish") };
        form.AddRange(topics.Select(t => new KeyValuePair<string, string>("hub.url", t)));
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await _http.PostAsync(hub, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogHubRefused(logger, hub, (int)response.StatusCode);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogHubUnreachable(logger, hub, exception);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Kiosque:WebSubHub is set but Kiosque:PublicUrl is not: the hub is named in feeds but not notified of changes.")]
    private static partial void LogNoPublicUrl(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "The WebSub hub {Hub} answered {Status} to a publish notification.")]
    private static partial void LogHubRefused(ILogger logger, Uri hub, int status);

    [LoggerMessage(LogLevel.Warning, "The WebSub hub {Hub} could not be reached.")]
    private static partial void LogHubUnreachable(ILogger logger, Uri hub, Exception exception);
}
