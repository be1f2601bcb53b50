using NetVips;

namespace Kiosque.Demo;

/// <summary>
/// Makes the demo newsroom's "photos" locally: soft colour fields with film grain, so the demo
/// needs no download and carries no one's real photo (or its metadata).
/// </summary>
public static class DemoImages
{
    public static byte[] Jpeg(int width, int height, int hue, int seed)
    {
        var random = new Random(seed);
        const int gridWidth = 8, gridHeight = 5;
        var pixels = new byte[gridWidth * gridHeight * 3];
        for (var y = 0; y < gridHeight; y++)
        {
            for (var x = 0; x < gridWidth; x++)
            {
                // Lighter towards the top, like a sky over a street.
                var value = 0.85 - (0.5 * y / gridHeight) + (random.NextDouble() * 0.15);
                var (r, g, b) = FromHsv(hue + random.Next(-25, 26), 0.25 + (random.NextDouble() * 0.45), Math.Clamp(value, 0, 1));
                var i = ((y * gridWidth) + x) * 3;
                pixels[i] = r;
                pixels[i + 1] = g;
                pixels[i + 2] = b;
            }
        }
        using var grid = Image.NewFromMemory(pixels, gridWidth, gridHeight, 3, Enums.BandFormat.Uchar);
        using var smooth = grid.Resize((double)width / gridWidth, vscale: (double)height / gridHeight, kernel: Enums.Kernel.Linear);
        using var cropped = smooth.Crop(0, 0, Math.Min(width, smooth.Width), Math.Min(height, smooth.Height));
        using var noise = Image.Gaussnoise(cropped.Width, cropped.Height, sigma: 7, mean: 0);
        using var grainy = cropped + noise;
        using var photo = grainy.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return photo.JpegsaveBuffer(q: 78, keep: Enums.ForeignKeep.None);
    }

    private static (byte R, byte G, byte B) FromHsv(double hue, double saturation, double value)
    {
        hue = ((hue % 360) + 360) % 360;
        var c = value * saturation;
        var x = c * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = value - c;
        var (r, g, b) = (hue / 60) switch
        {
            < 1 => (c, x, 0d),
            < 2 => (x, c, 0d),
            < 3 => (0d, c, x),
            < 4 => (0d, x, c),
            < 5 => (x, 0d, c),
            _ => (c, 0d, x),
        };
        return ((byte)((r + m) * 255), (byte)((g + m) * 255), (byte)((b + m) * 255));
    }
}
