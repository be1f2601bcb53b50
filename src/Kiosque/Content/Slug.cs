using System.Globalization;
using System.Text;

namespace Kiosque.Content;

public static class Slug
{
    /// <summary>"Répression à Port-Aurel : l'armée tire" → "repression-a-port-aurel-l-armee-tire".</summary>
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
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
            if (slug.Length >= maxLength)
            {
                break;
            }
        }
        return slug.ToString().Trim('-');
    }
}
