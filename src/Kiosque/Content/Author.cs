namespace Kiosque.Content;

public class Author
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Bio { get; set; } = "";
    public int? PhotoMediaId { get; set; }
    public MediaAsset? Photo { get; set; }
}

public class Section
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>Order in the site navigation.</summary>
    public int Position { get; set; }
}

public class Tag
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
}

public class MediaAsset
{
    public int Id { get; set; }

    /// <summary>Path relative to the media store, e.g. <c>2026/11/abc123.jpg</c>.</summary>
    public required string FileName { get; set; }
    public string ContentType { get; set; } = "image/jpeg";
    public int Width { get; set; }
    public int Height { get; set; }
    public string Credit { get; set; } = "";
    public string Caption { get; set; } = "";
    public string Alt { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>An old public path that answers 301 to a new one (slug changes, imports).</summary>
public class Redirect
{
    public int Id { get; set; }
    public required string FromPath { get; set; }
    public required string ToPath { get; set; }
    public DateTime CreatedAt { get; set; }
}
