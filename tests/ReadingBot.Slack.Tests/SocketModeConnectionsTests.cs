using ReadingBot.Slack.Socket;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>
/// Several Socket Mode connections in one process (<c>Slack:SocketConnections</c>): each opened through its own
/// single-use URL, envelopes spread over all of them into the one pipeline, each ack on the socket its envelope came
/// on, and a connection dropped or refreshed mid-run loses nothing while the others keep receiving.
/// </summary>
public sealed class SocketModeConnectionsTests : IAsyncLifetime
{
    private readonly SlackEmulatorOptions options = new() { Spread = SocketSpread.RoundRobin };
    private SlackEmulator emulator = null!;
    private SlackTestBot? bot;

    public async Task InitializeAsync() => emulator = await SlackEmulator.StartAsync(options);

    public async Task DisposeAsync()
    {
        if (bot is not null)
        {
            await bot.DisposeAsync();
        }

        await emulator.DisposeAsync();
    }

    private async Task<SlackTestBot> StartBotAsync(int connections)
    {
        bot = await SlackTestBot.StartAsync(emulator, s => s["Slack:SocketConnections"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return bot;
    }

    private SocketModeService Service => bot!.Get<SocketModeService>();

    [Fact]
    public async Task Three_connections_open_each_through_its_own_url_and_count_in_the_state()
    {
        var b = await StartBotAsync(3);

        var open = await emulator.WaitForOpenSocketsAsync(3);

        Assert.Equal(3, open.Select(s => s.Id).Distinct().Count());
        Assert.Equal(3, emulator.CallsTo("apps.connections.open").Count);
        Assert.Empty(emulator.RejectedTickets);
        await Eventually.TrueAsync(() => b.State.OpenConnections == 3, "the state counts three open connections");
        Assert.Equal(3, b.State.Wanted);
        Assert.True(b.State.IsConnected);
    }

    [Fact]
    public async Task Every_command_over_three_connections_is_answered_once_with_its_ack_on_its_own_socket()
    {
        await StartBotAsync(3);
        var open = await emulator.WaitForOpenSocketsAsync(3);

        var deliveries = new List<SlackDelivery>();
        for (var i = 0; i < 12; i++)
        {
            deliveries.Add(await emulator.SlashCommandAsync("help"));
        }

        foreach (var delivery in deliveries)
        {
            Assert.Contains("ReadingBot commands", SlackJson.Strings(await delivery.WaitForResponseAsync()));
        }

        Assert.All(deliveries, d => Assert.Equal(d.Attempts.Single().SocketId, d.Acks.Single().SocketId));
        Assert.All(deliveries, d => Assert.Single(d.Responses));
        // Round-robin over three sockets: every socket carried (and acked) some of them.
        Assert.Equal(open.Select(s => s.Id).Order(), deliveries.Select(d => d.Acks.Single().SocketId).Distinct().Order());
        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task A_connection_dropped_mid_run_loses_nothing_and_is_replaced_while_the_others_keep_receiving()
    {
        await StartBotAsync(3);
        var open = await emulator.WaitForOpenSocketsAsync(3);
        var doomed = open[1];

        var before = new List<SlackDelivery>();
        for (var i = 0; i < 6; i++)
        {
            before.Add(await emulator.SlashCommandAsync("help"));
        }

        foreach (var delivery in before)
        {
            await delivery.WaitForResponseAsync();
        }

        // Dropped with an envelope on it that the bot never sees: Slack redelivers it on a socket still open.
        emulator.MakeHalfOpen(doomed);
        var lost = await emulator.SlashCommandAsync("help", on: doomed);
        var during = new List<SlackDelivery> { lost };
        for (var i = 0; i < 6; i++)
        {
            during.Add(await emulator.SlashCommandAsync("help"));
        }

        emulator.Drop(doomed);
        foreach (var delivery in during)
        {
            Assert.Contains("ReadingBot commands", SlackJson.Strings(await delivery.WaitForResponseAsync()));
        }

        var replacement = await emulator.WaitForNewSocketAsync(open[^1]);
        await Eventually.TrueAsync(() => emulator.OpenSockets.Count == 3, "three sockets open again");

        Assert.Equal(2, lost.Attempts.Count);
        Assert.NotEqual(doomed.Id, lost.Acks.Single().SocketId);
        Assert.All(before.Concat(during), d => Assert.Single(d.Responses));
        Assert.All(before.Concat(during), d => Assert.Equal(d.Attempts[^1].SocketId, d.Acks.Single().SocketId));
        Assert.Equal(4, Service.ConnectionsOpened);
        Assert.True(replacement.Id > doomed.Id);
        Assert.Empty(emulator.RejectedTickets);
    }

    [Fact]
    public async Task A_refresh_of_one_connection_opens_its_replacement_first_and_leaves_the_others_alone()
    {
        await StartBotAsync(2);
        var open = await emulator.WaitForOpenSocketsAsync(2);

        await emulator.DisconnectAsync(open[0], "warning", TimeSpan.FromSeconds(2));
        var onOld = await emulator.SlashCommandAsync("help", on: open[0]);
        var fresh = await emulator.WaitForNewSocketAsync(open[1]);

        Assert.Null(open[0].ClosedAt);
        Assert.Null(open[1].ClosedAt);
        Assert.Equal(open[0].Id, (await onOld.WaitForAckAsync()).SocketId);
        await onOld.WaitForResponseAsync();
        await Eventually.TrueAsync(() => open[0].ClosedAt is not null, "the refreshed socket closed after its grace");
        Assert.Equal(new[] { open[1].Id, fresh.Id }, emulator.OpenSockets.Select(s => s.Id).Order());
        Assert.Equal(3, Service.ConnectionsOpened);
        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task Link_disabled_on_one_connection_stops_every_connection_of_the_process()
    {
        var b = await StartBotAsync(2);
        var open = await emulator.WaitForOpenSocketsAsync(2);

        await emulator.DisconnectAsync(open[0], "link_disabled", TimeSpan.FromSeconds(5));
        await Service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(open, s => Assert.NotNull(s.ClosedAt));
        Assert.Equal(2, emulator.CallsTo("apps.connections.open").Count);
        Assert.Equal(0, b.State.OpenConnections);
        Assert.False(b.State.IsConnected);
        Assert.Contains("link_disabled", b.State.FatalProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_redelivered_on_another_socket_under_a_new_envelope_id_runs_once()
    {
        var lostOnce = 0;
        options.LoseAck = (d, _) => d.Type == "slash_commands" && Interlocked.Exchange(ref lostOnce, 1) == 0;
        options.AckTimeout = TimeSpan.FromSeconds(1);
        await StartBotAsync(2);
        await emulator.WaitForOpenSocketsAsync(2);

        var added = await emulator.SlashCommandAsync("paper add 1706.03762 Attention Is All You Need");
        await added.WaitForAckAsync();
        var listed = await (await emulator.SlashCommandAsync("paper list")).WaitForResponseAsync();

        Assert.Equal(2, added.Attempts.Count);
        Assert.NotEqual(added.Attempts[0].EnvelopeId, added.Attempts[1].EnvelopeId);
        Assert.NotEqual(added.Attempts[0].SocketId, added.Attempts[1].SocketId);
        Assert.Single(added.LostAcks);
        Assert.Contains("Library (1 paper)", SlackJson.Strings(listed));
    }

    [Fact]
    public async Task More_connections_than_the_app_may_hold_are_refused_with_too_many_websockets_and_the_rest_serve()
    {
        options.MaxSocketsPerApp = 2;
        var b = await StartBotAsync(3);

        await emulator.WaitForOpenSocketsAsync(2);
        await Eventually.TrueAsync(() => emulator.Sockets.Any(s => s.DisconnectSent), "the third connection was refused");

        Assert.Equal(2, emulator.OpenSockets.Count);
        await Eventually.TrueAsync(() => b.State.OpenConnections == 2, "the state counts two of three");
        Assert.Equal(3, b.State.Wanted);
        Assert.True(b.State.IsConnected);
    }
}
