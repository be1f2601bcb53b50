using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Media;
using Microsoft.Extensions.Localization;

namespace Kiosque.Content;

/// <summary>
/// What must hold before readers see an article: checked when an editor publishes or schedules
/// it, and again by the scheduler when its time comes, since the article or its pictures may
/// have changed in between.
/// </summary>
public static class PublishChecks
{
    /// <summary>The article's own fields: a headline, and an address of its own (not the draft placeholder).</summary>
    public static string? Fields(Article article) =>
        string.IsNullOrWhiteSpace(article.Headline) ? "publish.no-headline"
        : Newsroom.ArticleEditor.IsPlaceholder(article.Slug) ? "publish.no-slug"
        : null;

    /// <summary>Every problem, as error codes (<c>Newsroom.Error.*</c>); empty when it can go live.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(KiosqueDb db, Article article, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (Fields(article) is string problem)
        {
            problems.Add(problem);
        }
        if ((await MediaRules.MissingCaptionsAsync(db, article, text, cancellationToken)).Count > 0)
        {
            problems.Add("publish.media-incomplete");
        }
        return problems;
    }
}
