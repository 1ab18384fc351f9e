using System.Globalization;
using System.Text;
using QRCoder;

namespace Socle.Modules.Loyalty.Poster;

/// <summary>
/// QR codes as images (PNG, SVG) and the printable in-store poster as a PDF written by hand: PDF is a text format, and the
/// QR code is drawn as vector rectangles, so it prints sharp at any size. No PDF package is needed.
/// </summary>
public static class QrPoster
{
    public static bool[,] Modules(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix;
        var size = rows.Count;
        var m = new bool[size, size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                m[y, x] = rows[y][x];
            }
        }
        return m;
    }

    public static byte[] Png(string text, int pixelsPerModule = 12)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>An SVG with one path (crisp on screens), with a title for screen readers.</summary>
    public static string Svg(string text, string title)
    {
        var m = Modules(text);
        var n = m.GetLength(0);
        var path = new StringBuilder();
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                if (m[y, x])
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
                }
            }
        }
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(title)}\">" +
               $"<title>{System.Net.WebUtility.HtmlEncode(title)}</title><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>";
    }

    /// <summary>An A4 poster: the shop's name, a call to join, the QR code (vector) and the link written out.</summary>
    public static byte[] Pdf(string url, string shopName, string headline, string instructions)
    {
        var m = Modules(url);
        var n = m.GetLength(0);
        const double pageWidth = 595.28, pageHeight = 841.89;
        var side = 400.0;
        var module = side / n;
        var left = (pageWidth - side) / 2;
        var bottom = 200.0;
        var content = new StringBuilder();
        content.Append("0 0 0 rg\n");
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                if (m[y, x])
                {
                    // PDF's origin is bottom-left: row y of the code is drawn from the top of the square down
                    content.Append(CultureInfo.InvariantCulture, $"{left + x * module:0.###} {bottom + side - (y + 1) * module:0.###} {module:0.###} {module:0.###} re\n");
                }
            }
        }
        content.Append("f\n");
        Text(content, shopName, 30, 720);
        Text(content, headline, 20, 660);
        Text(content, instructions, 12, 160);
        Text(content, url, 10, 130);

        var objects = new List<byte[]>
        {
            Latin("<< /Type /Catalog /Pages 2 0 R >>"),
            Latin("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Latin(string.Create(CultureInfo.InvariantCulture, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pageWidth} {pageHeight}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")),
            Stream(Latin(content.ToString())),
            Latin("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
            Latin($"<< /Title <{Hex(shopName)}> /Producer (Socle) >>"),
        };
        using var pdf = new MemoryStream();
        var header = Latin("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        pdf.Write(header);
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Position);
            pdf.Write(Latin($"{i + 1} 0 obj\n"));
            pdf.Write(objects[i]);
            pdf.Write(Latin("\nendobj\n"));
        }
        var xref = pdf.Position;
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        }
        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        pdf.Write(Latin(table.ToString()));
        return pdf.ToArray();

        static byte[] Stream(byte[] data)
        {
            var head = Latin($"<< /Length {data.Length} >>\nstream\n");
            var tail = Latin("\nendstream");
            return [.. head, .. data, .. tail];
        }
    }

    private static void Text(StringBuilder content, string text, double size, double y)
    {
        // centred by an estimate of Helvetica's average glyph width (0.5 em)
        var width = WinAnsi(text).Length * size * 0.5;
        var x = Math.Max(36, (595.28 - width) / 2);
        content.Append(CultureInfo.InvariantCulture, $"BT /F1 {size} Tf {x:0.##} {y:0.##} Td <{Hex(text)}> Tj ET\n");
    }

    /// <summary>Text in WinAnsiEncoding (Latin-1 plus €, ’, « » …), written as a hex string so nothing needs escaping.</summary>
    private static string Hex(string text) => Convert.ToHexString(WinAnsi(text));

    private static byte[] WinAnsi(string text) => text.Select(ch => ch switch
    {
        '€' => (byte)0x80,
        '’' => (byte)0x92,
        '‘' => (byte)0x91,
        '“' => (byte)0x93,
        '”' => (byte)0x94,
        '–' => (byte)0x96,
        '—' => (byte)0x97,
        '…' => (byte)0x85,
        '\u202f' or '\u00a0' => (byte)0xA0,
        _ when ch < 256 => (byte)ch,
        _ => (byte)'?',
    }).ToArray();

    private static byte[] Latin(string s) => Encoding.Latin1.GetBytes(s);
}
