namespace Kiosque.Newsroom;

/// <summary>A newsroom-wide setting an administrator changes at run time (e.g. mandatory two-factor).</summary>
public class NewsroomSetting
{
    public required string Key { get; set; }
    public string Value { get; set; } = "";
}
