namespace ReadingBot.Core.Inbound;

/// <summary>
/// Reads a body up to a limit: both platforms' webhook requests, and the responses of paper sources. A chunked body has
/// no declared length, so it is read only up to the limit and never to its end, and an oversized one costs no more
/// memory than the limit.
/// </summary>
public static class BoundedBody
{
    /// <summary>The body's bytes, or null when the declared length or the bytes read pass <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? declaredLength, int limit, CancellationToken cancellationToken)
    {
        if (declaredLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream(declaredLength is { } known ? (int)known : 0);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
