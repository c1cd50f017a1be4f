using System.Globalization;

namespace ReadingBot.Discord.Gateway;

/// <summary>
/// Which Gateway shards this process runs, out of how many. Discord routes a server's events to shard
/// <c>(guild_id &gt;&gt; 22) % shard_count</c> and direct messages to shard 0; a process handles only its shards' servers.
/// </summary>
public sealed record ShardPlan(int Count, IReadOnlyList<int> Ids)
{
    /// <summary>Today's behaviour: one connection carrying every server.</summary>
    public static ShardPlan Single { get; } = new(1, [0]);

    /// <summary>True when this process runs every shard (it then owns every server).</summary>
    public bool RunsAll => Ids.Count == Count;

    /// <summary>The shard that carries <paramref name="guildId"/> (null: a DM, on shard 0).</summary>
    public static int ShardOf(string? guildId, int count) =>
        guildId is not null && ulong.TryParse(guildId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? (int)((id >> 22) % (ulong)count) : 0;

    /// <summary>Whether this process handles <paramref name="guildId"/>'s events and interactions.</summary>
    public bool Owns(string? guildId) => RunsAll || Ids.Contains(ShardOf(guildId, Count));

    /// <summary>For logs and /healthz: "0-1 of 4", "0,2 of 4", "0 of 1".</summary>
    public override string ToString() => $"{ShardSettings.Format(Ids)} of {Count}";

    /// <summary>The plan for a resolved count and the configured ids (null: all of them).</summary>
    public static ShardPlan For(int count, IReadOnlyList<int>? ids) => new(count, ids ?? [.. Enumerable.Range(0, count)]);
}

/// <summary>Parsing <c>Discord:ShardCount</c> (<c>auto</c> or a number) and <c>Discord:ShardIds</c> (<c>0-3</c>, <c>0,2</c>, empty = all).</summary>
public static class ShardSettings
{
    /// <summary>Discord documents no maximum; this only refuses typos such as an extra zero.</summary>
    public const int MaxCount = 16384;

    /// <summary>True when the text is valid; <paramref name="count"/> is null for <c>auto</c>.</summary>
    public static bool TryParseCount(string? text, out int? count)
    {
        count = null;
        var value = (text ?? "").Trim();
        if (value.Length == 0 || string.Equals(value, "auto", StringComparison.OrdinalIgnoreCase))
        {
            count = value.Length == 0 ? 1 : null;
            return true;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxCount)
        {
            count = n;
            return true;
        }

        return false;
    }

    /// <summary>True when the text is valid; <paramref name="ids"/> is null for "all shards", else sorted and distinct.</summary>
    public static bool TryParseIds(string? text, out IReadOnlyList<int>? ids)
    {
        ids = null;
        var value = (text ?? "").Trim();
        if (value.Length == 0)
        {
            return true;
        }

        var result = new SortedSet<int>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var (from, to) = dash < 0 ? (part, part) : (part[..dash].Trim(), part[(dash + 1)..].Trim());
            if (!int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first || last >= MaxCount)
            {
                return false;
            }

            for (var id = first; id <= last; id++)
            {
                result.Add(id);
            }
        }

        ids = [.. result];
        return true;
    }

    /// <summary>Ids as ranges: [0,1,2,5] → "0-2,5".</summary>
    public static string Format(IReadOnlyList<int> ids)
    {
        var parts = new List<string>();
        for (var i = 0; i < ids.Count;)
        {
            var j = i;
            while (j + 1 < ids.Count && ids[j + 1] == ids[j] + 1)
            {
                j++;
            }

            parts.Add(j == i ? ids[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{ids[i]}-{ids[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    /// <summary>The first problem with ids for a known count, in one line naming the key; null when they fit.</summary>
    public static string? CheckIdsFit(IReadOnlyList<int>? ids, int count) =>
        ids is { Count: > 0 } && ids[^1] >= count
            ? $"Discord:ShardIds names shard {ids[^1]}, but there are only {count} shards (ids 0 to {count - 1}). Set Discord:ShardIds to ids below Discord:ShardCount, or leave it empty to run all shards."
            : null;
}
