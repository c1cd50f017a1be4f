using LiteDB;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;
using ReadingBot.Storage.Postgres;

namespace ReadingBot.Host.Hosting;

/// <summary>
/// <c>migrate --to-postgres "&lt;connection string&gt;"</c>: copies every collection of a LiteDB data directory into
/// PostgreSQL, row for document. Each row is inserted with <c>ON CONFLICT DO NOTHING</c>, so the copy is idempotent:
/// a second run finds every row there and changes nothing, and a row the bot already wrote on PostgreSQL is kept.
/// The LiteDB file is opened as the bot opens it (its lock file refuses a bot still running on it).
/// </summary>
internal static class MigrateToPostgres
{
    public const string Verb = "migrate";
    public const string TargetOption = "--to-postgres";
    private const int BatchSize = 500;

    /// <summary>One collection: its table, and each column with the document field it is read from.</summary>
    private sealed record Copy(string Collection, string Table, params Column[] Columns);

    private sealed record Column(string Name, Func<BsonDocument, object?> Read);

    private static Column Text(string name, string field) => new(name, d => d[field].IsNull ? null : d[field].AsString);

    private static Column Int(string name, string field) => new(name, d => d[field].IsNull ? null : d[field].AsInt32);

    private static Column Bool(string name, string field) => new(name, d => d[field].AsBoolean);

    private static Column Instant(string name, string field) => new(name, d => Documents.ReadOptionalInstant(d[field]));

    private static Column Strings(string name, string field) => new(name, d => Documents.ReadStrings(d[field]).ToArray());

    private static Column Json(string name, string field) => new(name, d => new Jsonb(LiteDB.JsonSerializer.Serialize(d[field])));

    private static Column Id(string name) => new(name, d => d["_id"].IsObjectId ? d["_id"].AsObjectId.ToString() : d["_id"].AsString);

    private static readonly Column Group = Text("group_id", "group");

    private static readonly Copy[] Copies =
    [
        new(Collections.Groups, "groups", Id("group_id"), Text("platform", "platform"), Text("workspace", "workspace"), Text("scope", "scope"),
            Instant("created_at", "createdAt"), Int("next_paper_number", "nextPaperNumber"), Json("settings", "settings"),
            new("platform_name", Documents.PlatformNameOf)),
        new(Collections.Papers, "papers", Id("paper_key"), Text("source", "source"), Text("url", "url"), Text("title", "title"), Strings("authors", "authors"),
            Text("abstract", "abstract"), Int("year", "year"), Text("venue", "venue"), Instant("published", "published"), Instant("updated", "updated"),
            Strings("categories", "categories"), Text("pdf_url", "pdfUrl"), Text("doi", "doi"), Text("arxiv_id", "arxivId"), Text("journal_ref", "journalRef"),
            Text("latest_version", "latestVersion"), Text("state", "state"), Int("attempts", "attempts"), Instant("next_attempt_at", "nextAttemptAt"),
            Text("last_error", "lastError"), Instant("fetched_at", "fetchedAt"), Text("code_url", "codeUrl")),
        new(Collections.PaperAliases, "paper_aliases", Id("removed_key"), Text("target_key", "target")),
        new(Collections.Deliveries, "deliveries", Id("delivery_key"), Instant("expires_at", "expiresAt")),
        new(Collections.AdapterState, "adapter_state", Id("state_key"), Text("value", "value")),
        new(LiteEnrichmentStore.Enrichments, "enrichments", Id("paper_key"), Instant("read_at", "readAt"), Bool("found", "found"), Text("tldr", "tldr"),
            Int("citations", "citations"), Int("influential", "influential"), Text("venue", "venue"), Text("open_access_pdf", "openAccessPdf")),
        new(Collections.SessionStarts, "session_starts", Text("ledger_key", "ledger"), Instant("started_at", "at"), Int("shard_id", "shard")),
        new(Collections.Members, "members", Group, Text("user_id", "userId"), Text("display_name", "displayName"), Instant("joined_at", "joinedAt"),
            Instant("last_seen_at", "lastSeenAt"), Json("settings", "settings")),
        new(Collections.Library, "library", Group, Int("number", "number"), Text("paper_key", "paper"), Text("added_by", "addedBy"), Instant("added_at", "addedAt"),
            Text("given_title", "givenTitle"), Text("version_read", "versionRead")),
        // A thread's id is its document id after "group|".
        new(Collections.Threads, "threads", Group, new("thread_id", d => d["_id"].AsString[(d["group"].AsString.Length + 1)..]), Text("purpose", "purpose"),
            Text("subject", "subject"), Instant("created_at", "createdAt")),
        new(Collections.Suggestions, "suggestions", Group, Text("paper_key", "paper"), Text("suggested_by", "suggestedBy"), Text("why", "why"),
            Instant("suggested_at", "suggestedAt"), Strings("voters", "voters"), Text("state", "state")),
        new(Collections.WeekPlans, "week_plans", Group, Text("week", "week"), Text("state", "state"), Text("paper_key", "paper"), Text("picked_by", "pickedBy"),
            Instant("picked_at", "pickedAt"), Bool("auto_picked", "autoPicked"), Text("presenter", "presenter"), Text("channel_id", "channel"), Text("thread_id", "thread"),
            // Plans from before revisions were kept have none: 0, as the LiteDB store reads them.
            new("revision", d => d["revision"].IsNumber ? d["revision"].AsInt32 : 0)),
        new(Collections.Discussion, "discussion", Group, Id("source_id"), Text("paper_key", "paper"), Text("week", "week"), Text("author", "author"),
            Text("text", "text"), Instant("at", "at")),
        new(Collections.Presenters, "presenters", Group, Text("user_id", "user"), Instant("volunteered_at", "volunteeredAt"), Text("last_presented", "lastPresented")),
        new(Collections.ScheduledPosts, "scheduled_posts", Group, Id("post_key"), Text("week", "week"), Text("kind", "kind"), Text("state", "state"),
            Instant("at", "at"), Text("detail", "detail")),
        new(Collections.WayrWeeks, "wayr_weeks", Group, Text("week", "week"), Int("number", "number"), Bool("closed", "closed"), Text("channel_id", "channel"),
            Text("thread_id", "thread"), Instant("closed_at", "closedAt")),
        new(Collections.WayrPosts, "wayr_posts", Group, Text("week", "week"), Int("number", "number"), Text("author", "author"), Text("paper_key", "paper"),
            Text("status", "status"), Text("note", "note"), Instant("at", "at"), Instant("edited_at", "editedAt")),
        new(Collections.Progress, "progress", Group, Text("member", "member"), Text("paper_key", "paper"), Text("pass", "pass"), Instant("at", "at")),
        new(Collections.Digests, "digests", Group, Text("week", "week"), Int("number", "number"), Text("title", "title"), Json("sections", "sections"),
            Instant("created_at", "createdAt")),
        new(Collections.Ledger, "ledger", Group, Text("member", "member"), Text("week", "week"), Text("result", "result"), Text("reason", "reason"), Instant("at", "at")),
        new(Collections.Streaks, "streaks", Group, Text("member", "member"), Int("current", "current"), Int("longest", "longest"), Int("total", "total"),
            Int("freezes", "freezes"), Int("toward", "toward"), Text("last_week", "lastWeek")),
        new(Collections.Standings, "standings", Group, Text("week", "week"), Json("rows", "rows")),
        new(Collections.StreakAudit, "streak_audit", Group, Id("source_id"), Text("member", "member"), Text("week", "week"), Text("before", "before"),
            Text("after", "after"), Text("reason", "reason"), Text("corrected_by", "by"), Instant("at", "at")),
        new(LiteLikeStore.Likes, "likes", Group, Text("member", "member"), Text("paper_key", "paper"), Instant("at", "at")),
        new(LiteDislikeStore.Dislikes, "dislikes", Group, Text("member", "member"), Text("paper_key", "paper"), Instant("at", "at")),
        new(LiteRsvpStore.Rsvps, "rsvps", Group, Text("week", "week"), Text("member", "member"), Text("answer", "answer"), Instant("at", "at")),
        new(LiteRoadmapStore.Roadmaps, "roadmaps", Group, Text("title", "title"), Text("source", "source"), Instant("imported_at", "importedAt"),
            Text("imported_by", "importedBy"), Json("sections", "sections")),
        new(LiteRoadmapStore.Progress, "roadmap_progress", Group, Text("member", "member"), Strings("done", "done"), Instant("updated_at", "updatedAt")),
        new(LiteFollowStore.FollowsCollection, "follows", Group, Text("owner", "owner"), Text("kind", "kind"), Text("follow_key", "key"), Text("text", "text"),
            Text("added_by", "addedBy"), Instant("at", "at")),
        new(LiteFollowStore.MatchesCollection, "follow_matches", Group, Text("owner", "owner"), Text("paper_key", "paper"), Text("title", "title"),
            Text("url", "url"), Text("arxiv_id", "arxivId"), Text("why", "why"), Instant("found_at", "foundAt")),
    ];

    /// <summary>The collections this command copies: every one LiteDB declares (a test keeps the two lists equal).</summary>
    internal static IEnumerable<string> CopiedCollections => Copies.Select(c => c.Collection);

    /// <summary>The verb first, or anywhere when <see cref="TargetOption"/> follows it (after options such as <c>--data</c>).</summary>
    public static bool IsCommand(string[] args) =>
        Array.IndexOf(args, Verb) is var verb && verb >= 0 && (verb == 0 || (verb + 1 < args.Length && args[verb + 1] == TargetOption));

    /// <summary>Runs the command; progress and the summary go to <paramref name="output"/>, a failure in one line to <paramref name="errors"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var target = Array.IndexOf(args, TargetOption);
        if (target < 0 || target + 1 >= args.Length || string.IsNullOrWhiteSpace(args[target + 1]))
        {
            await errors.WriteLineAsync($"Usage: ReadingBot.Host {Verb} {TargetOption} \"<connection string>\" [--data <dir>]: copies a LiteDB data directory into PostgreSQL.");
            return ReadingBotHost.ExitBadConfiguration;
        }

        var connectionString = args[target + 1];
        var verb = Array.IndexOf(args, Verb);
        var rest = args.Where((_, i) => i != verb && i != target && i != target + 1).ToArray();
        var configuration = new ConfigurationManager();
        ReadingBotHost.ConfigureSources(configuration, rest);
        var dataDirectory = ReadingBotHost.DataDirectory(configuration);
        if (!File.Exists(Path.Combine(dataDirectory, "readingbot.db")))
        {
            await errors.WriteLineAsync($"ReadingBot cannot migrate: there is no LiteDB database in {dataDirectory}. Name the data directory with --data <dir>.");
            return ReadingBotHost.ExitDatabaseUnavailable;
        }

        try
        {
            using var source = ReadingBotDatabase.OpenFile(dataDirectory);
            using var destination = PostgresDatabase.Open(connectionString);
            await output.WriteLineAsync($"Copying {dataDirectory} into PostgreSQL ({Copies.Length} collections).");
            var totalCopied = 0;
            var totalThere = 0;
            foreach (var copy in Copies)
            {
                var (read, copied) = CopyCollection(source, destination, copy);
                totalCopied += copied;
                totalThere += read - copied;
                await output.WriteLineAsync($"  {copy.Collection}: {read} read, {copied} copied, {read - copied} already there");
            }

            await output.WriteLineAsync(CopyWebSecret(dataDirectory, destination));
            await output.WriteLineAsync($"Done: {totalCopied} copied, {totalThere} already there.");
            return 0;
        }
        catch (DatabaseUnavailableException ex)
        {
            await errors.WriteLineAsync("ReadingBot cannot migrate: " + ex.Message);
            return ReadingBotHost.ExitDatabaseUnavailable;
        }
        catch (PostgresUnavailableException ex)
        {
            await errors.WriteLineAsync("ReadingBot cannot migrate: " + ex.Message.Replace(PostgresDatabase.ConnectionStringKey, TargetOption, StringComparison.Ordinal));
            return ReadingBotHost.ExitDatabaseUnavailable;
        }
    }

    /// <summary>
    /// The web's link secret moves too (on PostgreSQL it is kept in adapter_state), so links made before the move
    /// still open; a secret PostgreSQL has already is kept, since processes there sign with it.
    /// </summary>
    private static string CopyWebSecret(string dataDirectory, PostgresDatabase destination)
    {
        var file = Path.Combine(dataDirectory, WebSecret.FileName);
        if (!File.Exists(file))
        {
            return "Web link secret: none to copy.";
        }

        var mine = Convert.ToBase64String(WebSecret.LoadOrCreate(file));
        return new PgAdapterStateStore(destination).GetOrAdd(WebSecret.StateKey, mine) == mine
            ? "Web link secret: copied (or already there), so links made before the move still open."
            : "Web link secret: PostgreSQL has its own, kept; links made before the move stop working.";
    }

    /// <summary>Copies one collection in batches of <see cref="BatchSize"/> rows, each batch one transaction and one round trip.</summary>
    private static (int Read, int Copied) CopyCollection(ReadingBotDatabase source, PostgresDatabase destination, Copy copy)
    {
        var names = string.Join(", ", copy.Columns.Select(c => c.Name));
        var values = string.Join(", ", copy.Columns.Select((_, i) => $"${i + 1}"));
        var sql = $"INSERT INTO {copy.Table} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING";
        var read = 0;
        var copied = 0;
        // Delivery ids live in the journal beside the data file, not in the collection (it is emptied at open).
        var documents = copy.Collection == Collections.Deliveries
            ? source.Deliveries.Snapshot().Select(k => new LiteDB.BsonDocument { ["_id"] = k.Key, ["expiresAt"] = Documents.Instant(k.ExpiresAt) })
            : source.Database.GetCollection(copy.Collection).FindAll();
        foreach (var batch in documents.Chunk(BatchSize))
        {
            read += batch.Length;
            copied += destination.InTransaction(session => session.ExecuteBatch(batch.Select(d => (sql, copy.Columns.Select(c => c.Read(d)).ToArray()))));
        }

        return (read, copied);
    }
}
