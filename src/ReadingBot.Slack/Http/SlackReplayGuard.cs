using System.Globalization;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Ports;

namespace ReadingBot.Slack.Http;

/// <summary>
/// Remembers the signature of every signed request the HTTP endpoints accepted until its timestamp leaves the
/// signature window. The window alone lets the same signed body, timestamp and signature be posted again for five
/// minutes; a signature is an HMAC over timestamp and body, so a repeat of one is a repeat of the whole request.
/// The memory is the durable delivery log, so a restart inside the window forgets nothing.
/// </summary>
public sealed class SlackReplayGuard(IDeliveryLog deliveries, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>
    /// True the first time a verified request's signature is seen; false for a repeat. Call it only for a request
    /// that is taken (a queue slot reserved), so a request refused as "busy" can still come again and get through.
    /// </summary>
    public bool TryFirstUse(string timestamp, string signature)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(options.Value.SignatureWindowSeconds);
        var sent = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 100_000_000_000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : now;
        // Past sent + window the signature check refuses the request anyway; a second more covers rounding.
        var expires = sent + window + TimeSpan.FromSeconds(1);
        return deliveries.TryRecord("slack:signature:" + signature, now, expires > now ? expires : now + window);
    }
}
