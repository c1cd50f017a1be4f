using ReadingBot.Core.Inbound;

namespace ReadingBot.Core.Tests.Inbound;

public sealed class BoundedBodyTests
{
    [Fact]
    public async Task A_body_within_the_limit_is_read_whole()
    {
        var bytes = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();

        var read = await BoundedBody.ReadAsync(new MemoryStream(bytes), null, 40_000, CancellationToken.None);

        Assert.Equal(bytes, read);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_reading()
    {
        var body = new CountingStream(new MemoryStream(new byte[10]));

        Assert.Null(await BoundedBody.ReadAsync(body, 5_000, 4_096, CancellationToken.None));
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_without_reading_to_its_end()
    {
        var body = new CountingStream(new MemoryStream(new byte[10 * 1024 * 1024]));

        Assert.Null(await BoundedBody.ReadAsync(body, null, 64 * 1024, CancellationToken.None));
        Assert.True(body.BytesRead < 128 * 1024, $"read {body.BytesRead} bytes of a 10 MB body");
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
