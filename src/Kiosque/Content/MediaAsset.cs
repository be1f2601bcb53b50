namespace Kiosque.Content;

public class MediaAsset
{
    public int Id { get; set; }

    /// <summary>
    /// The public JPEG every page can show at once, relative to the public media store (for an
    /// upload: a stripped rendition made at ingest, e.g. <c>r/3f/3fa9…/w1280.jpg</c>).
    /// </summary>
    public required string FileName { get; set; }

    /// <summary>The type of the original upload, decided from its content (image/jpeg, image/png…).</summary>
    public string ContentType { get; set; } = "image/jpeg";

    /// <summary>Size of the original once its orientation is applied.</summary>
    public int Width { get; set; }
    public int Height { get; set; }
    public string Credit { get; set; } = "";
    public string Caption { get; set; } = "";
    public string Alt { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    /// <summary>The uploaded file's name, for the newsroom only (never shown to readers).</summary>
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the original bytes (hex); null for media that did not go through ingest.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The private original, relative to the originals store. Never served.</summary>
    public string? OriginalPath { get; set; }

    /// <summary>The editor's focal point, 0–1 from the left and from the top; crops are centred on it.</summary>
    public double FocalX { get; set; } = 0.5;
    public double FocalY { get; set; } = 0.5;

    /// <summary>Folder of the finished width renditions (AVIF, WebP, JPEG); null until they are all written.</summary>
    public string? RenditionsPath { get; set; }

    /// <summary>Prefix of the finished 16:9, 4:3 and 1:1 crops for the current focal point; null until written.</summary>
    public string? CropsPath { get; set; }

    /// <summary>The rendition settings version the files were made with (<c>RenditionPlan.Version</c>).</summary>
    public int RenditionsVersion { get; set; }

    /// <summary>True while the background worker still has renditions or crops to make.</summary>
    public bool RenditionsPending { get; set; }
    public int RenditionAttempts { get; set; }

    /// <summary>A worker on some node holds this medium until then; after, another may take it over.</summary>
    public DateTime? RenditionLeaseUntil { get; set; }
    public string? RenditionError { get; set; }

    /// <summary>Moves the focal point (clamped to the picture); the crops are made again in the background.</summary>
    public void SetFocalPoint(double x, double y)
    {
        x = double.IsFinite(x) ? Math.Clamp(x, 0, 1) : 0.5;
        y = double.IsFinite(y) ? Math.Clamp(y, 0, 1) : 0.5;
        if (x == FocalX && y == FocalY)
        {
            return;
        }
        FocalX = x;
        FocalY = y;
        CropsPath = null;
        if (Sha256 is not null)
        {
            RenditionsPending = true;
            RenditionAttempts = 0;
            RenditionError = null;
        }
    }
}
