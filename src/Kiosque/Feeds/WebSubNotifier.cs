using System.Threading.Channels;
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
        _pending.Writer.TryWrite(topics);
    }

    /// <summary>The site's feeds, and those of every section, tag and author the changed articles belong to.</summary>
    private async Task<IReadOnlyCollection<string>> AffectedFeedsAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken)
    {
        var pages = new HashSet<string>(StringComparer.Ordinal) { "/" };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KiosqueDb>();
        // Whatever the article's status now: unpublishing changes these feeds too.
        var articleIds = IdsOf(changes, ChangeScope.Article);
        if (articleIds.Count > 0)
        {
            var lists = await db.Articles.AsNoTracking().Where(a => articleIds.Contains(a.Id))
                .Select(a => new
                {
                    Section = a.Section.Slug,
                    Tags = a.Tags.Select(t => t.Tag.Slug).ToList(),
                    Authors = a.Authors.Select(p => p.Author.Slug).ToList(),
                })
                .AsSplitQuery().ToListAsync(cancellationToken);
            foreach (var list in lists)
            {
                pages.Add(SiteFormat.SectionPath(list.Section));
                pages.UnionWith(list.Tags.Select(SiteFormat.TagPath));
                pages.UnionWith(list.Authors.Select(SiteFormat.AuthorPath));
            }
        }
        // A renamed section, tag or author changes the title of its feed.
        var sections = IdsOf(changes, ChangeScope.Section);
        var tags = IdsOf(changes, ChangeScope.Tag);
        var authors = IdsOf(changes, ChangeScope.Author);
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

    private static List<int> IdsOf(IReadOnlyList<ContentChange> changes, ChangeScope scope) =>
        changes.Where(c => c.Scope == scope && !c.Deleted).Select(c => c.EntityId).Distinct().ToList();

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
