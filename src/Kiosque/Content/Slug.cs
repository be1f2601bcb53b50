using System.Globalization;
using System.Text;

namespace Kiosque.Content;

public static class Slug
{
    /// <summary>"Répression à Port-Aurel : l'armée tire" → "repression-a-port-aurel-l-armee-tire"; "Cœur" → "coeur".</summary>
    public static string From(string text, int maxLength = 80)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (Ligature(c) is { } letters)
            {
                slug.Append(letters);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
            if (slug.Length >= maxLength)
            {
                break;
            }
        }
        return slug.ToString(0, Math.Min(slug.Length, maxLength)).Trim('-');
    }

    /// <summary>
    /// Letters that no Unicode decomposition turns into ASCII, so they would otherwise become a
    /// dash: "cœur" must give "coeur", as a French reader spells it without the ligature, not "c-ur".
    /// </summary>
    private static string? Ligature(char c) => c switch
    {
        'œ' or 'Œ' => "oe",
        'æ' or 'Æ' => "ae",
        'ß' or 'ẞ' => "ss",
        'ø' or 'Ø' => "o",
        'ł' or 'Ł' => "l",
        'đ' or 'Đ' => "d",
        _ => null,
    };
}
