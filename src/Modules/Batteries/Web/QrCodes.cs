using QRCoder;

namespace Socle.Modules.Batteries.Web;

/// <summary>
/// QR codes (ISO/IEC 18004) for passports, as Art. 13(6) requires on every battery: byte mode, error-correction level M
/// (15 % of the code can be damaged), a four-module quiet zone, pointing to the resolver address of the passport.
/// </summary>
public static class QrCodes
{
    public static QRCodeData Encode(string url)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M, forceUtf8: false, utf8BOM: false, eciMode: QRCodeGenerator.EciMode.Default);
    }

    public static string Svg(string url)
    {
        using var data = Encode(url);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    public static byte[] Png(string url, int pixelsPerModule = 10)
    {
        using var data = Encode(url);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }
}
