using LiteDB;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class EngineWatchTests
{
    [Fact]
    public void An_open_database_is_not_closed_and_one_this_process_disposed_is_not_reported()
    {
        var database = ReadingBotDatabase.OpenMemory();
        Assert.Null(database.ClosedBy());

        database.Dispose();

        Assert.Null(database.ClosedBy());
    }

    [Fact]
    public async Task When_LiteDB_closes_its_engine_after_a_disk_error_the_watch_fails_with_one_line_saying_restart()
    {
        // A database written and closed, then opened again on a disk that starts failing its reads.
        var written = new MemoryStream();
        using (var first = ReadingBotDatabase.OpenMemory(new FailingStream(written)))
        {
            first.Database.GetCollection(Collections.Groups).Insert(new BsonDocument { ["_id"] = "g", ["name"] = "a group" });
            first.Checkpoint();
        }

        var disk = new FailingStream(new MemoryStream(written.ToArray()));
        using var database = ReadingBotDatabase.OpenMemory(disk);
        using var watch = new EngineWatchService(database, TimeProvider.System, TimeSpan.FromMilliseconds(20));
        await watch.StartAsync(CancellationToken.None);

        disk.Fail = true;
        Assert.ThrowsAny<Exception>(() => database.Database.GetCollection(Collections.Groups).FindById("g"));

        Assert.NotNull(database.ClosedBy());
        var failure = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => watch.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("restart ReadingBot", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task The_watch_ends_quietly_when_the_host_stops()
    {
        using var database = ReadingBotDatabase.OpenMemory();
        using var watch = new EngineWatchService(database, TimeProvider.System, TimeSpan.FromMilliseconds(20));
        await watch.StartAsync(CancellationToken.None);
        await Task.Delay(100);

        await watch.StopAsync(CancellationToken.None);

        Assert.True(watch.ExecuteTask!.IsCompletedSuccessfully);
    }

    /// <summary>A disk that starts failing (a dying or unmounted volume); it never closes the bytes it was given.</summary>
    private sealed class FailingStream(MemoryStream inner) : Stream
    {
        public volatile bool Fail;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Fail ? throw new IOException("Input/output error") : inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Fail)
            {
                throw new IOException("Input/output error");
            }

            inner.Write(buffer, offset, count);
        }

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);
    }
}
