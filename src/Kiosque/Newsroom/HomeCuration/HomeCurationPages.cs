using Kiosque.Content;
using Kiosque.Data;
using Kiosque.Site;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>Homepage curation (Une): the lead story and up to four featured pieces, chosen by editors.</summary>
public static class HomeCurationPages
{
    public const int FeaturedCount = 4;

    /// <summary>GET /newsroom/une</summary>
    public static async Task<IResult> Get(HttpContext http, KiosqueDb db, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var slots = await db.HomeSlots.AsNoTracking().ToDictionaryAsync(s => s.Position, s => s.ArticleId, cancellationToken);
        var choices = await db.Published().NewestFirst().Take(100).Select(a => new Choice(a.Id, a.Headline)).ToListAsync(cancellationToken);
        // A chosen piece older than the 100 latest stays selectable.
        var missing = slots.Values.Where(id => choices.All(c => c.Id != id)).ToList();
        if (missing.Count > 0)
        {
            choices.AddRange(await db.Published().Where(a => missing.Contains(a.Id)).Select(a => new Choice(a.Id, a.Headline)).ToListAsync(cancellationToken));
        }
        var chrome = new NewsroomChrome(text["Newsroom.Home.Title"], Staff.Of(http.User), "home", NewsroomPages.Notice(http));
        return NewsroomPages.Render<HomeCurationView>(new { Chrome = chrome, Slots = slots, Choices = choices });
    }

    /// <summary>POST /newsroom/une: replaces the curation; empty choices are left to the newest stories.</summary>
    public static async Task<IResult> Post(HttpContext http, KiosqueDb db, TimeProvider clock, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var wanted = new List<(int Position, int ArticleId)>();
        if (int.TryParse(form["lead"], out var lead) && lead > 0)
        {
            wanted.Add((0, lead));
        }
        var position = 1;
        foreach (var value in form["featured"].Take(FeaturedCount))
        {
            if (int.TryParse(value, out var id) && id > 0 && wanted.All(w => w.ArticleId != id))
            {
                wanted.Add((position++, id));
            }
        }
        var ids = wanted.Select(w => w.ArticleId).ToList();
        if (await db.Published().CountAsync(a => ids.Contains(a.Id), cancellationToken) != ids.Count)
        {
            return NewsroomPages.Message(http, text["Newsroom.Editor.StatusRefused"], text["Newsroom.Home.NotPublished"], StatusCodes.Status400BadRequest);
        }
        // Two saves (slots are keyed by position, so the old ones go before the new ones come),
        // one transaction: a failure in between must not leave the front page without its choice.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.HomeSlots.RemoveRange(await db.HomeSlots.ToListAsync(cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            db.HomeSlots.AddRange(wanted.Select(w => new HomeSlot { Position = w.Position, ArticleId = w.ArticleId }));
            Audit.Record(db, clock, Staff.Of(http.User), "home.curated", string.Join(", ", ids.Select(i => $"#{i}")));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return Results.Redirect("/newsroom/une?ok=home-saved");
    }
}
