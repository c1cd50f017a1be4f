using System.Globalization;
using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// Explicit mapping between domain records and BSON documents. Writing it out keeps stored shapes independent of
/// the domain's property names and away from the mapper's defaults (empty strings to null, local dates) and its
/// first-use race.
/// </summary>
public static class Documents
{
    public static BsonMapper CreateMapper() => new() { EmptyStringToNull = false, TrimWhitespace = false };

    public static BsonValue Instant(DateTimeOffset value) => new(value.UtcDateTime);

    public static BsonValue Instant(DateTimeOffset? value) => value is { } v ? Instant(v) : BsonValue.Null;

    public static DateTimeOffset ReadInstant(BsonValue value)
    {
        var dt = value.AsDateTime;
        // LiteDB returns stored UTC instants as local times unless UtcDate is set; normalise either way.
        return new DateTimeOffset(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc), TimeSpan.Zero);
    }

    public static DateTimeOffset? ReadOptionalInstant(BsonValue value) => value.IsNull ? null : ReadInstant(value);

    public static string? ReadOptionalString(BsonValue value) => value.IsNull ? null : value.AsString;

    /// <summary>A group document's platform name; documents written before schema 3 have none.</summary>
    public static string PlatformNameOf(BsonDocument group) => group["platformName"].IsString ? group["platformName"].AsString : "";

    public static int? ReadOptionalInt(BsonValue value) => value.IsNull ? null : value.AsInt32;

    public static BsonValue Optional(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    public static BsonValue Optional(int? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;

    public static BsonArray Strings(IEnumerable<string> values) => new(values.Select(v => new BsonValue(v)));

    public static IReadOnlyList<string> ReadStrings(BsonValue value) =>
        value.IsArray ? value.AsArray.Select(v => v.AsString).ToList() : [];

    public static BsonDocument Map(IReadOnlyDictionary<string, string> values)
    {
        var doc = new BsonDocument();
        foreach (var (k, v) in values)
        {
            doc[k] = v;
        }

        return doc;
    }

    public static Dictionary<string, string> ReadMap(BsonValue value) =>
        value.IsDocument ? value.AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsString, StringComparer.Ordinal) : new(StringComparer.Ordinal);

    public static BsonDocument FromGroup(Group g) => new()
    {
        ["_id"] = g.Id.Value,
        ["platform"] = g.Platform,
        ["workspace"] = g.Workspace,
        ["scope"] = g.Scope,
        ["createdAt"] = Instant(g.CreatedAt),
        ["nextPaperNumber"] = g.NextPaperNumber,
        ["settings"] = Map(g.Settings),
        ["platformName"] = g.PlatformName,
    };

    public static Group ToGroup(BsonDocument d) => new()
    {
        Id = new GroupId(d["_id"].AsString),
        Platform = d["platform"].AsString,
        Workspace = d["workspace"].AsString,
        Scope = d["scope"].AsString,
        CreatedAt = ReadInstant(d["createdAt"]),
        NextPaperNumber = d["nextPaperNumber"].AsInt32,
        Settings = ReadMap(d["settings"]),
        PlatformName = PlatformNameOf(d),
    };

    public static string MemberId(GroupId group, string userId) => $"{group.Value}|{userId}";

    public static BsonDocument FromMember(Member m) => new()
    {
        ["_id"] = MemberId(m.Group, m.UserId),
        ["group"] = m.Group.Value,
        ["userId"] = m.UserId,
        ["displayName"] = m.DisplayName,
        ["joinedAt"] = Instant(m.JoinedAt),
        ["lastSeenAt"] = Instant(m.LastSeenAt),
        ["settings"] = Map(m.Settings),
    };

    public static Member ToMember(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        UserId = d["userId"].AsString,
        DisplayName = d["displayName"].AsString,
        JoinedAt = ReadInstant(d["joinedAt"]),
        LastSeenAt = ReadInstant(d["lastSeenAt"]),
        Settings = ReadMap(d["settings"]),
    };

    public static BsonDocument FromPaper(Paper p) => new()
    {
        ["_id"] = p.Key,
        ["source"] = p.Source.ToString(),
        ["url"] = p.Url,
        ["title"] = Optional(p.Title),
        ["authors"] = Strings(p.Authors),
        ["abstract"] = Optional(p.Abstract),
        ["year"] = Optional(p.Year),
        ["venue"] = Optional(p.Venue),
        ["published"] = Instant(p.Published),
        ["updated"] = Instant(p.Updated),
        ["categories"] = Strings(p.Categories),
        ["pdfUrl"] = Optional(p.PdfUrl),
        ["doi"] = Optional(p.Doi),
        ["arxivId"] = Optional(p.ArxivId),
        ["journalRef"] = Optional(p.JournalRef),
        ["codeUrl"] = Optional(p.CodeUrl),
        ["latestVersion"] = Optional(p.LatestVersion),
        ["state"] = p.State.ToString(),
        ["attempts"] = p.Attempts,
        ["nextAttemptAt"] = Instant(p.NextAttemptAt),
        ["lastError"] = Optional(p.LastError),
        ["fetchedAt"] = Instant(p.FetchedAt),
    };

    public static Paper ToPaper(BsonDocument d) => new()
    {
        Key = d["_id"].AsString,
        Source = Enum.Parse<PaperSource>(d["source"].AsString),
        Url = d["url"].AsString,
        Title = ReadOptionalString(d["title"]),
        Authors = ReadStrings(d["authors"]),
        Abstract = ReadOptionalString(d["abstract"]),
        Year = ReadOptionalInt(d["year"]),
        Venue = ReadOptionalString(d["venue"]),
        Published = ReadOptionalInstant(d["published"]),
        Updated = ReadOptionalInstant(d["updated"]),
        Categories = ReadStrings(d["categories"]),
        PdfUrl = ReadOptionalString(d["pdfUrl"]),
        Doi = ReadOptionalString(d["doi"]),
        ArxivId = ReadOptionalString(d["arxivId"]),
        JournalRef = ReadOptionalString(d["journalRef"]),
        CodeUrl = ReadOptionalString(d["codeUrl"]),
        LatestVersion = ReadOptionalString(d["latestVersion"]),
        State = Enum.Parse<MetadataState>(d["state"].AsString),
        Attempts = d["attempts"].AsInt32,
        NextAttemptAt = ReadOptionalInstant(d["nextAttemptAt"]),
        LastError = ReadOptionalString(d["lastError"]),
        FetchedAt = ReadOptionalInstant(d["fetchedAt"]),
    };

    /// <summary>A library entry's key in its group's number order (the number zero-padded, so text order is number order).</summary>
    public const string GroupNumberKey = "groupNumber";

    public static string GroupNumber(GroupId group, int number) => $"{group.Value}|{number.ToString("D10", CultureInfo.InvariantCulture)}";

    public static BsonDocument FromEntry(LibraryEntry e) => new()
    {
        ["_id"] = $"{e.Group.Value}#{e.Number}",
        ["group"] = e.Group.Value,
        ["groupPaper"] = $"{e.Group.Value}|{e.PaperKey}",
        [GroupNumberKey] = GroupNumber(e.Group, e.Number),
        ["number"] = e.Number,
        ["paper"] = e.PaperKey,
        ["addedBy"] = e.AddedBy,
        ["addedAt"] = Instant(e.AddedAt),
        ["givenTitle"] = Optional(e.GivenTitle),
        ["versionRead"] = Optional(e.VersionRead),
    };

    public static LibraryEntry ToEntry(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        Number = d["number"].AsInt32,
        PaperKey = d["paper"].AsString,
        AddedBy = d["addedBy"].AsString,
        AddedAt = ReadInstant(d["addedAt"]),
        GivenTitle = ReadOptionalString(d["givenTitle"]),
        VersionRead = ReadOptionalString(d["versionRead"]),
    };
}
