using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NetVips;

namespace Kiosque.Tests.Media;

/// <summary>Real image files made on the spot with libvips, and the bad inputs an upload form meets.</summary>
public static class TestImages
{
    public const string SecretArtist = "Secret Photographer Kestrel";

    /// <summary>A smooth two-way gradient (so encoders behave as on a photo), with an optional red square.</summary>
    public static Image Picture(int width, int height, (int X, int Y, int Size)? redSquare = null)
    {
        using var xyz = Image.Xyz(width, height);
        using var x = xyz[0];
        using var y = xyz[1];
        using var r = x * (200.0 / width);
        using var g = y * (200.0 / height);
        using var b = (x + y) * (120.0 / (width + height)) + 60;
        using var joined = r.Bandjoin(g, b);
        var picture = joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        if (redSquare is { } square)
        {
            var painted = picture.Mutate(m => m.DrawRect([255, 0, 0], square.X, square.Y, square.Size, square.Size, fill: true));
            picture.Dispose();
            picture = painted;
        }
        return picture;
    }

    public static byte[] Jpeg(int width, int height, (int X, int Y, int Size)? redSquare = null)
    {
        using var picture = Picture(width, height, redSquare);
        return picture.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.None);
    }

    /// <summary>
    /// A photo as a phone or an agency sends it: EXIF with GPS position, camera and photographer,
    /// rotated a quarter turn by its orientation tag, XMP (with the position again) and IPTC
    /// captions. The red square sits in the stored top-left corner, so once upright it is top right.
    /// </summary>
    public static byte[] JpegWithGps(int width = 1200, int height = 800)
    {
        using var picture = Picture(width, height, (0, 0, 80));
        using var tagged = picture.Mutate(m =>
        {
            m.Set(GValue.GIntType, "orientation", 6);
            m.Set(GValue.GStrType, "exif-ifd0-Orientation", "6");
            m.Set(GValue.GStrType, "exif-ifd0-Make", "Canon");
            m.Set(GValue.GStrType, "exif-ifd0-Model", "EOS R6");
            m.Set(GValue.GStrType, "exif-ifd0-Artist", SecretArtist);
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitudeRef", "N");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitude", "48/1 51/1 2400/100");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLongitudeRef", "E");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLongitude", "2/1 21/1 300/100");
            m.Set(GValue.BlobType, "xmp-data", Encoding.UTF8.GetBytes(Xmp));
            m.Set(GValue.BlobType, "iptc-data", Iptc((80, "Iris Volk"), (110, "Agence Delta"), (120, "Des manifestants place centrale, le 5 mars.")));
        });
        return tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.All);
    }

    private const string Xmp = """
        <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
          xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
          exif:GPSLatitude="48,51.4N" exif:GPSLongitude="2,21.05E">
        <dc:creator><rdf:Seq><rdf:li>Iris Volk</rdf:li></rdf:Seq></dc:creator>
        <photoshop:Credit>Agence Delta</photoshop:Credit>
        <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Des manifestants place centrale, le 5 mars.</rdf:li></rdf:Alt></dc:description>
        <Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">Une foule sur une place, des banderoles.</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """;

    /// <summary>An APP13 Photoshop block holding IPTC-IIM records (2:dataset), in UTF-8.</summary>
    private static byte[] Iptc(params (byte DataSet, string Value)[] records)
    {
        using var iim = new MemoryStream();
        void Record(byte record, byte dataSet, byte[] value)
        {
            iim.Write([0x1C, record, dataSet]);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)value.Length);
            iim.Write(length);
            iim.Write(value);
        }
        Record(1, 90, [0x1B, 0x25, 0x47]); // coded character set: UTF-8
        foreach (var (dataSet, value) in records)
        {
            Record(2, dataSet, Encoding.UTF8.GetBytes(value));
        }
        var data = iim.ToArray();
        using var block = new MemoryStream();
        block.Write("Photoshop 3.0\0"u8);
        block.Write("8BIM"u8);
        block.Write([0x04, 0x04, 0x00, 0x00]);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, data.Length);
        block.Write(size);
        block.Write(data);
        if (data.Length % 2 == 1)
        {
            block.WriteByte(0);
        }
        return block.ToArray();
    }

    /// <summary>
    /// A decompression bomb: a valid 1-bit PNG of width × height black pixels whose rows deflate
    /// to almost nothing, so a few kilobytes claim hundreds of megabytes once decoded.
    /// </summary>
    public static byte[] PngBomb(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth
        header[9] = 0; // greyscale
        Chunk(png, "IHDR", header);
        using (var deflated = new MemoryStream())
        {
            using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
            {
                var row = new byte[1 + ((width + 7) / 8)];
                for (var y = 0; y < height; y++)
                {
                    zlib.Write(row);
                }
            }
            Chunk(png, "IDAT", deflated.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    /// <summary>A stream that cannot tell its length, like a request body.</summary>
    public sealed class UnseekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
