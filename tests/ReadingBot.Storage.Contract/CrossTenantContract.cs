using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Contract;

/// <summary>
/// A property over every store port: groups filled with seeded random data through every port, then every read that
/// takes a group, called with each group's id and every argument the data uses, returns nothing of another group.
/// The ports are found by reflection (the Core interfaces the store's own types implement), so a new port without a
/// generator here fails <see cref="Every_store_port_has_a_generator_and_a_place_in_the_store_set"/>.
/// </summary>
public abstract class CrossTenantContract(Func<StoreSet> open) : StoreContract(open)
{
    // Workspaces that are prefixes of each other ("7" of "77" and "70"): a key built as "group|..." or a
    // StartsWith filter that forgets the separator shows up as a leak.
    private static readonly string[] Workspaces = ["7", "77", "70"];

    // Shared by every group, so a read that filters by member or paper but forgets the group returns another
    // group's rows; each group also has members and papers of its own whose ids carry its token.
    private static readonly string[] SharedMembers = ["alice", "bob"];
    private static readonly string[] SharedPapers = ["arxiv:1706.03762", "arxiv:1512.03385"];
    private static readonly WeekKey[] Weeks = [new(2026, 47), new(2026, 48), new(2026, 49), new(2026, 50)];

    /// <summary>Methods that take a group but write: they are the generators' business, not reads to check.</summary>
    private static readonly HashSet<string> Writes = ["EnsureWeek", "DeletePost", "Toggle", "ToggleVote", "Remove", "GetOrAdd", "Add", "Touch", "SetPlatformName"];

    private sealed record Tenant(GroupId Id, string Workspace, string Token)
    {
        public string[] Members => [.. SharedMembers, $"m-{Token}-1", $"m-{Token}-2"];

        public string[] PaperRefs => [.. SharedPapers.Select(k => k.Replace("arxiv:", "arXiv:", StringComparison.Ordinal)), $"https://example.org/{Token}/p1", $"https://example.org/{Token}/p2"];
    }

    /// <summary>One generator per port: it writes the tenant's random rows through that port.</summary>
    private static readonly Dictionary<Type, Action<StoreSet, Tenant, Random>> Generators = new()
    {
        [typeof(IGroupStore)] = (s, t, r) => s.Groups.SetPlatformName(t.Id, $"Server {t.Token}"),
        [typeof(IMemberStore)] = (s, t, r) =>
        {
            foreach (var m in t.Members)
            {
                s.Members.Save(new Member { Group = t.Id, UserId = m, DisplayName = $"{m} of {t.Token}", JoinedAt = Instant(r), LastSeenAt = Instant(r) });
            }
        },
        [typeof(IPaperStore)] = (s, t, r) =>
        {
            foreach (var p in t.PaperRefs)
            {
                s.Papers.Save(Paper(p) with { Title = $"A paper {r.Next(1000)}" });
            }
        },
        [typeof(ILibraryStore)] = (s, t, r) =>
        {
            foreach (var p in Shuffle(t.PaperRefs, r))
            {
                s.Library.Add(t.Id, Paper(p), Pick(t.Members, r), $"given {t.Token}", null, Instant(r));
            }
        },
        [typeof(IPaperIdentityStore)] = (s, t, r) => s.Identities.Canonical(PaperKeys(t)[2]),
        [typeof(ITenantDataStore)] = (s, t, r) => { },
        [typeof(IDeliveryLog)] = (s, t, r) => s.Deliveries.TryRecord($"discord:interaction:{t.Token}:{r.Next()}", At, At.AddDays(1)),
        [typeof(IAdapterStateStore)] = (s, t, r) => s.AdapterState.Set($"state:{t.Token}", t.Token),
        [typeof(ISessionStartLedger)] = (s, t, r) => s.SessionStarts.TryTake($"discord:{t.Token}", r.Next(4), At, 1000),
        [typeof(IThreadLinkStore)] = (s, t, r) =>
        {
            s.Threads.Save(new ThreadLink(t.Id, "thread-shared", ThreadPurpose.Wayr, Pick(Weeks, r).ToString(), Instant(r)));
            s.Threads.Save(new ThreadLink(t.Id, $"thread-{t.Token}", ThreadPurpose.Discussion, Pick(Weeks, r).ToString(), Instant(r)));
        },
        [typeof(IGroupDataArchive)] = (s, t, r) => { },
        [typeof(ISuggestionStore)] = (s, t, r) =>
        {
            foreach (var p in PaperKeys(t).Where(_ => r.Next(4) > 0))
            {
                s.Suggestions.TryAdd(new Suggestion { Group = t.Id, PaperKey = p, SuggestedBy = Pick(t.Members, r), SuggestedAt = Instant(r), Voters = [Pick(t.Members, r)] });
            }

            s.Suggestions.TryAdd(new Suggestion { Group = t.Id, PaperKey = SharedPapers[0], SuggestedBy = Pick(t.Members, r), SuggestedAt = Instant(r) });
            s.Suggestions.ToggleVote(t.Id, SharedPapers[0], Pick(t.Members, r));
        },
        [typeof(IWeekPlanStore)] = (s, t, r) =>
        {
            foreach (var week in Weeks.Where(_ => r.Next(3) > 0).Append(Weeks[0]))
            {
                s.Plans.SavePick(new WeekPlan { Group = t.Id, Week = week, PaperKey = Pick(PaperKeys(t), r), PickedBy = Pick(t.Members, r), PickedAt = Instant(r), ThreadId = $"thread-{t.Token}" }, null);
            }

            s.Plans.Touch(t.Id, Weeks);
        },
        [typeof(IDiscussionStore)] = (s, t, r) =>
        {
            for (var i = 0; i < 3 + r.Next(4); i++)
            {
                s.Discussion.Add(new DiscussionNote { Group = t.Id, PaperKey = Pick(PaperKeys(t), r), Week = Pick(Weeks, r), Author = Pick(t.Members, r), Text = $"note {i} in {t.Token}", At = Instant(r) });
            }
        },
        [typeof(IPresenterStore)] = (s, t, r) =>
        {
            foreach (var m in t.Members.Where(_ => r.Next(2) == 0).Append(t.Members[^1]))
            {
                s.Presenters.Save(new PresenterVolunteer(t.Id, m, Instant(r), r.Next(2) == 0 ? Pick(Weeks, r) : null));
            }
        },
        [typeof(IScheduledPostStore)] = (s, t, r) =>
        {
            foreach (var (week, kind) in Weeks.SelectMany(w => new[] { (w, "announce"), (w, "remind"), (w, "digest") }).Where(_ => r.Next(3) > 0).Append((Weeks[0], "announce")))
            {
                var key = $"{t.Id.Value}|{week}|{kind}";
                s.ScheduledPosts.TryClaim(new ScheduledPostRecord(key, t.Id, week, kind, ScheduledPostState.Claimed, Instant(r), null), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
                s.ScheduledPosts.Complete(key, ScheduledPostState.Posted, Instant(r), $"message-{t.Token}");
            }
        },
        [typeof(IWayrStore)] = (s, t, r) =>
        {
            foreach (var week in Weeks)
            {
                s.Wayr.EnsureWeek(t.Id, week);
                for (var i = 0; i < 1 + r.Next(4); i++)
                {
                    s.Wayr.AddPost(new WayrPost { Group = t.Id, Week = week, Number = 0, Author = Pick(t.Members, r), PaperKey = Pick(PaperKeys(t), r), Note = $"reading in {t.Token}", At = Instant(r) });
                }
            }
        },
        [typeof(IProgressStore)] = (s, t, r) =>
        {
            foreach (var m in t.Members)
            {
                foreach (var p in PaperKeys(t).Where(_ => r.Next(2) == 0).Append(SharedPapers[0]))
                {
                    s.Progress.Save(new ReadingProgress(t.Id, m, p, Pick(Enum.GetValues<ReadingPass>(), r), Instant(r)));
                }

                s.Progress.Save(new ReadingProgress(t.Id, m, $"arxiv:done-{t.Token}", ReadingPass.Done, Instant(r)));
            }
        },
        [typeof(IStreakStore)] = (s, t, r) =>
        {
            // The first two weeks are closed with their ledger, streaks, standings and digest; then one correction.
            foreach (var key in Weeks.Take(2))
            {
                var week = s.Wayr.EnsureWeek(t.Id, key);
                var entries = t.Members.Select(m => new LedgerEntry(t.Id, m, key, r.Next(2) == 0 ? WeekResult.Kept : WeekResult.Missed, $"why {t.Token}", Instant(r))).ToList();
                s.Streaks.CloseWeek(new WeekClose(
                    week with { Closed = true, ClosedAt = Instant(r) },
                    entries,
                    [.. t.Members.Select(m => new MemberStreak(t.Id, m) { Current = r.Next(3), Longest = 3, TotalKept = r.Next(5), LastWeek = key })],
                    [.. t.Members.Select(m => new LeaderboardRow(m, r.Next(3), 3, r.Next(5)))],
                    new Digest(t.Id, key, week.Number, $"Digest {t.Token}", [new DigestSection("Read", [$"{t.Token}: a line"])], Instant(r))));
            }

            var member = t.Members[^1];
            s.Streaks.Correct(
                new StreakCorrection(t.Id, member, Weeks[0], WeekResult.Missed, WeekResult.Kept, $"away {t.Token}", Pick(t.Members, r), Instant(r)),
                new LedgerEntry(t.Id, member, Weeks[0], WeekResult.Kept, $"corrected {t.Token}", Instant(r)),
                new MemberStreak(t.Id, member) { Current = 1, Longest = 3, TotalKept = 2, LastWeek = Weeks[1] },
                [.. t.Members.Select(m => new LeaderboardRow(m, 1, 3, 2))]);
        },
        // The digest is written with the week's close (IStreakStore above); it has no write of its own.
        [typeof(IDigestStore)] = (s, t, r) => { },
        [typeof(IRoadmapStore)] = (s, t, r) =>
        {
            s.Roadmaps.Save(new Roadmap
            {
                Group = t.Id, Title = $"Roadmap {t.Token}", Source = "starter", ImportedAt = Instant(r), ImportedBy = Pick(t.Members, r),
                Sections = [new RoadmapSection($"Section {t.Token}", [.. PaperKeys(t).Select(p => new RoadmapItem(p, $"item {t.Token}"))])],
            });
            foreach (var m in t.Members)
            {
                s.Roadmaps.SaveProgress(new RoadmapProgress { Group = t.Id, MemberId = m, Done = [Pick(PaperKeys(t), r)], UpdatedAt = Instant(r) });
            }
        },
        [typeof(ILikeStore)] = (s, t, r) => Signals(t, r, (m, p, at) => s.Likes.Toggle(t.Id, m, p, at)),
        [typeof(IDislikeStore)] = (s, t, r) => Signals(t, r, (m, p, at) => s.Dislikes.Toggle(t.Id, m, p, at)),
        [typeof(IRsvpStore)] = (s, t, r) =>
        {
            foreach (var (week, m) in Weeks.SelectMany(w => t.Members.Select(m => (w, m))).Where(_ => r.Next(2) == 0).Append((Weeks[0], t.Members[^1])))
            {
                s.Rsvps.Save(new Rsvp(t.Id, week, m, Pick(Enum.GetValues<RsvpAnswer>(), r), Instant(r)));
            }
        },
        [typeof(IFollowStore)] = (s, t, r) =>
        {
            foreach (var owner in t.Members.Append(Follow.GroupOwner))
            {
                s.Follows.Add(new Follow(t.Id, owner, FollowKind.Author, "yann|lecun", "Yann LeCun", owner, Instant(r)));
                s.Follows.Add(new Follow(t.Id, owner, FollowKind.Topic, $"topic|{t.Token}", $"topic {t.Token}", owner, Instant(r)));
                foreach (var p in PaperKeys(t).Where(_ => r.Next(2) == 0).Append(SharedPapers[0]))
                {
                    s.Follows.AddMatch(new FollowMatch(t.Id, owner, p, $"Title {t.Token}", "https://arxiv.org/abs/1706.03762", null, $"by {t.Token}", Instant(r)));
                }
            }
        },
        [typeof(IEnrichmentStore)] = (s, t, r) => s.Enrichments.Save(new PaperEnrichment(PaperKeys(t)[2], Instant(r), true) { Tldr = $"tldr {t.Token}" }),
    };

    [Fact]
    public void Every_store_port_has_a_generator_and_a_place_in_the_store_set()
    {
        var ports = Ports();
        var inSet = typeof(StoreSet).GetProperties().Select(p => p.PropertyType).ToHashSet();

        Assert.NotEmpty(ports);
        Assert.Empty(ports.Where(p => !Generators.ContainsKey(p)).Select(p => p.Name));
        Assert.Empty(ports.Where(p => !inSet.Contains(p)).Select(p => p.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(2026)]
    public void No_read_given_one_groups_id_returns_a_row_of_another_group(int seed)
    {
        var random = new Random(seed);
        var tenants = Workspaces.Select(w => new Tenant(AddGroup(w).Id, w, $"t{w}x")).ToList();
        // Ports in a random order per seed, each group's rows interleaved with the others'.
        foreach (var port in Shuffle(Ports(), random))
        {
            foreach (var tenant in Shuffle(tenants, random))
            {
                Generators[port](Stores, tenant, random);
            }
        }

        var leaks = new List<string>();
        var answered = new HashSet<string>();
        var reads = Ports().SelectMany(port => port.GetMethods().Where(IsGroupRead).Select(m => (port, m))).ToList();
        foreach (var tenant in tenants)
        {
            var others = tenants.Where(t => t != tenant).ToList();
            foreach (var (port, method) in reads)
            {
                var target = PortOf(port);
                foreach (var args in Arguments(method, tenant))
                {
                    var result = method.Invoke(target, args);
                    if (!IsEmpty(result))
                    {
                        answered.Add($"{port.Name}.{method.Name}");
                    }

                    var leaked = Leaves(result).Where(v => others.Any(o => v == o.Id.Value || v.Contains(o.Token, StringComparison.Ordinal))).ToList();
                    if (leaked.Count > 0)
                    {
                        leaks.Add($"{port.Name}.{method.Name}({string.Join(", ", args.Select(a => a?.ToString()))}) returned {string.Join(", ", leaked.Distinct().Take(3))}");
                    }
                }
            }
        }

        Assert.Empty(leaks.Distinct());
        // Every read answered something at least once: the generators fill what each read reads, so no check is vacuous.
        Assert.Empty(reads.Select(r => $"{r.port.Name}.{r.m.Name}").Where(n => !answered.Contains(n)).Distinct());
    }

    /// <summary>The Core interfaces that the store's own types implement: the store ports.</summary>
    private List<Type> Ports()
    {
        var core = typeof(IGroupStore).Assembly;
        var storeAssembly = Stores.Groups.GetType().Assembly;
        return [.. storeAssembly.GetExportedTypes().SelectMany(t => t.GetInterfaces()).Where(i => i.Assembly == core).Distinct().OrderBy(i => i.Name, StringComparer.Ordinal)];
    }

    private object PortOf(Type port) =>
        typeof(StoreSet).GetProperties().Single(p => p.PropertyType == port).GetValue(Stores)!;

    private static bool IsGroupRead(MethodInfo method) =>
        method.ReturnType != typeof(void) && !Writes.Contains(method.Name) && method.GetParameters().Any(p => p.ParameterType == typeof(GroupId));

    /// <summary>Every combination of the arguments the tenant's data uses, for each parameter by its type.</summary>
    private static IEnumerable<object?[]> Arguments(MethodInfo method, Tenant tenant)
    {
        var parameters = method.GetParameters();
        var candidates = parameters.Select((p, i) => Candidates(p, i, parameters, tenant)).ToList();
        IEnumerable<object?[]> combinations = [[]];
        foreach (var values in candidates)
        {
            combinations = combinations.SelectMany(c => values.Select(v => (object?[])[.. c, v]));
        }

        return combinations;
    }

    private static object?[] Candidates(ParameterInfo parameter, int index, ParameterInfo[] all, Tenant tenant)
    {
        var type = parameter.ParameterType;
        if (type.IsByRef)
        {
            return [null];
        }

        var sameTypeBefore = all.Take(index).Count(p => p.ParameterType == type);
        var sameTypeAfter = all.Skip(index + 1).Count(p => p.ParameterType == type);
        return type switch
        {
            _ when type == typeof(GroupId) => [tenant.Id],
            // Members, papers (keys and as typed), thread ids: every string the data uses, shared ones included.
            _ when type == typeof(string) => [.. tenant.Members, .. PaperKeys(tenant), .. tenant.PaperRefs, "thread-shared", $"thread-{tenant.Token}", $"arxiv:done-{tenant.Token}", Follow.GroupOwner],
            // A range (from, to) spans all the data; a lone week is each week.
            _ when type == typeof(WeekKey) && sameTypeAfter > 0 => [Weeks[0]],
            _ when type == typeof(WeekKey) && sameTypeBefore > 0 => [Weeks[^1]],
            _ when type == typeof(WeekKey) => [.. Weeks.Cast<object>()],
            _ when type == typeof(DateTimeOffset) && sameTypeBefore > 0 => [At.AddYears(10)],
            _ when type == typeof(DateTimeOffset) => [At.AddYears(-10)],
            // Numbers (#1…) and counts; a skip is 0 and a take large.
            _ when type == typeof(int) && sameTypeAfter > 0 => [0],
            _ when type == typeof(int) && sameTypeBefore > 0 => [1000],
            _ when type == typeof(int) => [1, 2, 3, 4, 1000],
            _ => throw new InvalidOperationException($"{parameter.Member.DeclaringType?.Name}.{parameter.Member.Name}: no arguments for a {type.Name}; add them here"),
        };
    }

    private static bool IsEmpty(object? result) => result switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        int n => n == 0,
        IEnumerable e => !e.Cast<object?>().Any(),
        _ => false,
    };

    /// <summary>Every string in a result (record properties, collections, tuples, and the JSON text of an export), as the reader would see it.</summary>
    private static IEnumerable<string> Leaves(object? value)
    {
        switch (value)
        {
            case null:
                yield break;
            case string s:
                yield return s;
                if (s.StartsWith('{') || s.StartsWith('['))
                {
                    foreach (var inner in JsonLeaves(JsonDocument.Parse(s).RootElement))
                    {
                        yield return inner;
                    }
                }

                yield break;
            case IFormattable f when value.GetType().IsPrimitive || value is DateTimeOffset or DateTime or decimal or Enum:
                yield return f.ToString(null, CultureInfo.InvariantCulture);
                yield break;
            case IDictionary d:
                foreach (DictionaryEntry entry in d)
                {
                    foreach (var leaf in Leaves(entry.Key).Concat(Leaves(entry.Value)))
                    {
                        yield return leaf;
                    }
                }

                yield break;
            case IEnumerable e:
                foreach (var item in e)
                {
                    foreach (var leaf in Leaves(item))
                    {
                        yield return leaf;
                    }
                }

                yield break;
        }

        var type = value.GetType();
        var members = type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple", StringComparison.Ordinal)
            ? type.GetFields().Select(f => f.GetValue(value))
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).Select(p => p.GetValue(value));
        foreach (var leaf in members.SelectMany(Leaves))
        {
            yield return leaf;
        }
    }

    private static IEnumerable<string> JsonLeaves(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => JsonLeaves(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(JsonLeaves),
        _ => [element.ToString()],
    };

    private static void Signals(Tenant t, Random r, Action<string, string, DateTimeOffset> toggle)
    {
        foreach (var m in t.Members)
        {
            foreach (var p in PaperKeys(t).Where(_ => r.Next(2) == 0).Append(SharedPapers[1]))
            {
                toggle(m, p, Instant(r));
            }
        }
    }

    private static string[] PaperKeys(Tenant t) => [.. t.PaperRefs.Select(p => Paper(p).Key)];

    private static Paper Paper(string reference) => Core.Papers.Paper.Pending(PaperRefParser.Parse(reference).Reference!);

    private static DateTimeOffset Instant(Random r) => At.AddMinutes(-r.Next(60 * 24 * 28));

    private static T Pick<T>(IReadOnlyList<T> items, Random r) => items[r.Next(items.Count)];

    private static List<T> Shuffle<T>(IEnumerable<T> items, Random r) => [.. items.OrderBy(_ => r.Next())];
}
