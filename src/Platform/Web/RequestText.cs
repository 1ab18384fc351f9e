using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Socle.Platform.Web;

/// <summary>
/// Reads a request body as UTF-8 text up to a limit, in pooled 16 KiB chunks: a small body costs a small buffer
/// (a buffer sized to the limit would put megabytes on the large-object heap for every request).
/// </summary>
public static class RequestText
{
    /// <summary>The text, or null when the body is larger than <paramref name="maxBytes"/> (its declared length, or its length in characters).</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 << 10, leaveOpen: true);
        var chunk = ArrayPool<char>.Shared.Rent(16 << 10);
        try
        {
            var text = new StringBuilder(request.ContentLength is { } n and > 0 ? (int)Math.Min(n, maxBytes) : 1024);
            int read;
            while ((read = await reader.ReadAsync(chunk.AsMemory(), ct)) > 0)
            {
                // A UTF-8 byte gives at most one char: more chars than the limit means more bytes than the limit.
                if (text.Length + read > maxBytes)
                {
                    return null;
                }
                text.Append(chunk, 0, read);
            }
            return text.ToString();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chunk);
        }
    }
}
