namespace Kiosque.Site;

/// <summary>The newsroom's logo and icon, as feeds, Open Graph and the JSON-LD publisher name them.</summary>
public static class SiteBrand
{
    public const string LogoPath = "/logo.png";
    public const int LogoWidth = 256;
    public const int LogoHeight = 256;
    public const string IconPath = "/favicon.svg";
}
