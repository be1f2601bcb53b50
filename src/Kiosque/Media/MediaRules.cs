using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Media;

/// <summary>Newsroom rules about the pictures an article shows.</summary>
public static class MediaRules
{
    /// <summary>
    /// Why the article cannot be published yet: one clear message per picture it shows (hero and
    /// image blocks) that lacks a credit, a caption or alt text, naming the picture and where it is.
    /// Empty when every picture is complete. An image block's own caption, credit or alt count
    /// in place of the medium's. The publish action calls this and refuses while it is not empty.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MissingCaptionsAsync(KiosqueDb db, Article article, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken = default)
    {
        var uses = new List<(int MediaId, string Place, string? Caption, string? Credit, string? Alt)>();
        if (article.HeroMediaId is int hero)
        {
            uses.Add((hero, text["Media.Place.Hero"], null, null, null));
        }
        else if (article.HeroMedia is { Id: > 0 } heroMedia)
        {
            uses.Add((heroMedia.Id, text["Media.Place.Hero"], null, null, null));
        }
        ArticleBody body;
        try
        {
            body = ArticleBody.Parse(article.Body);
        }
        catch (Exception exception) when (exception is InvalidArticleBodyException or System.Text.Json.JsonException)
        {
            body = ArticleBody.Of();
        }
        var position = 0;
        foreach (var block in body.Blocks)
        {
            if (block is ImageBlock image)
            {
                position++;
                uses.Add((image.MediaId, text["Media.Place.Body", position], image.Caption, image.Credit, image.Alt));
            }
        }
        if (uses.Count == 0)
        {
            return [];
        }

        var ids = uses.Select(u => u.MediaId).Distinct().ToList();
        var media = await db.Media.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, m.Caption, m.Credit, m.Alt })
            .ToDictionaryAsync(m => m.Id, cancellationToken);

        var problems = new List<string>();
        foreach (var use in uses)
        {
            if (!media.TryGetValue(use.MediaId, out var medium))
            {
                problems.Add(text["Media.Rule.Missing", use.Place, use.MediaId]);
                continue;
            }
            var lacking = new List<string>();
            if (string.IsNullOrWhiteSpace(use.Credit ?? medium.Credit))
            {
                lacking.Add(text["Media.Field.Credit"]);
            }
            if (string.IsNullOrWhiteSpace(use.Caption ?? medium.Caption))
            {
                lacking.Add(text["Media.Field.Caption"]);
            }
            if (string.IsNullOrWhiteSpace(use.Alt ?? medium.Alt))
            {
                lacking.Add(text["Media.Field.Alt"]);
            }
            if (lacking.Count > 0)
            {
                var name = string.IsNullOrWhiteSpace(medium.Name) ? text["Media.Unnamed", medium.Id].Value : text["Media.Named", medium.Name, medium.Id].Value;
                problems.Add(text["Media.Rule.Incomplete", name, use.Place, JoinFields(lacking, text)]);
            }
        }
        return problems;
    }

    private static string JoinFields(List<string> fields, IStringLocalizer<SharedResource> text) =>
        fields.Count == 1 ? fields[0] : string.Join(", ", fields[..^1]) + text["Media.Rule.And"] + fields[^1];
}
