using System.Globalization;
using Kiosque.Site;
using Microsoft.Extensions.Localization;

namespace Kiosque.Newsroom;

/// <summary>An audit log line as administrators read it: who, what and the details in words, with the action's code kept.</summary>
public sealed record AuditRow(DateTime At, string Who, string Action, string What, string Target, string Details);

/// <summary>Turns the codes the audit log stores into the newsroom's language, at display time.</summary>
public static class AuditText
{
    public static AuditRow Describe(AuditEntry entry, IStringLocalizer<SharedResource> text, SiteFormat format) =>
        new(entry.At, Who(entry, text), entry.Action, What(entry.Action, text), entry.Target, Details(entry.Action, entry.Details, text, format));

    // Rows written before names became codes say "système" for the system.
    private static string Who(AuditEntry entry, IStringLocalizer<SharedResource> text) =>
        entry.UserId is null && entry.UserName is "" or "système" ? text["Newsroom.Audit.System"] : entry.UserName;

    /// <summary>The action in words; an action without words yet (a new one) shows its code.</summary>
    private static string What(string action, IStringLocalizer<SharedResource> text)
    {
        var words = text["Newsroom.Audit.Action." + action];
        return words.ResourceNotFound ? action : words.Value;
    }

    private static string Details(string action, string details, IStringLocalizer<SharedResource> text, SiteFormat format)
    {
        if (details.Length == 0)
        {
            return "";
        }
        if (action is "user.created" or "user.role" && Roles.IsKnown(details))
        {
            return text["Newsroom.Role." + details];
        }
        if (action == "article.schedule" && DateTime.TryParse(details, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
        {
            return text["Newsroom.Audit.Detail.at", format.LongDate(at.ToUniversalTime()), format.Time(at.ToUniversalTime())];
        }
        if (action == "article.schedule-refused")
        {
            return EditorPages.Describe(details.Split(' ', StringSplitOptions.RemoveEmptyEntries), text);
        }
        if (details.StartsWith("version ", StringComparison.Ordinal))
        {
            return text["Newsroom.Audit.Detail.version", details["version ".Length..]];
        }
        if (details.StartsWith("focal ", StringComparison.Ordinal))
        {
            return text["Newsroom.Audit.Detail.focal", details["focal ".Length..]];
        }
        var words = text["Newsroom.Audit.Detail." + details];
        return words.ResourceNotFound ? details : words.Value;
    }
}
