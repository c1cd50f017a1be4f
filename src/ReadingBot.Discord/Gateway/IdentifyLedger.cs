using System.Globalization;
using ReadingBot.Core.Ports;

namespace ReadingBot.Discord.Gateway;

/// <summary>
/// Every IDENTIFY of the last 24 hours, kept in the adapter state store so a crash loop or a restart storm still
/// counts them: Discord resets the bot token at 1000 identifies a day.
/// </summary>
public sealed class IdentifyLedger(IAdapterStateStore store, TimeProvider time)
{
    private const string Key = "discord:identifies";
    private readonly Lock gate = new();

    public IReadOnlyList<DateTimeOffset> Recent()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return Read().Where(t => now - t < TimeSpan.FromHours(24)).ToList();
        }
    }

    public void Record()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var kept = Read().Where(t => now - t < TimeSpan.FromHours(24)).Append(now);
            store.Set(Key, string.Join(',', kept.Select(t => t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))));
        }
    }

    private List<DateTimeOffset> Read() =>
        (store.Get(Key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null)
            .OfType<DateTimeOffset>()
            .ToList();
}
