using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Papers;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>The shared inbound pipeline as Discord sees it: a full queue answers with a deferral at once.</summary>
public sealed class PipelineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_full_pipeline_defers_a_new_interaction_at_once_and_answers_it_later_by_an_edit()
    {
        var held = new HeldMetadataSource();
        // One worker and one queue slot. Each interaction's own deferral comes from a timer 2.5 s after it arrived, so
        // the held command, sent first, would be deferred first; the third is deferred before it only by push-back.
        await using var bot = await StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:DeferAfterSeconds"] = "2.5", ["Discord:MaxConcurrentHandlers"] = "1", ["Discord:QueueCapacity"] = "1" },
            services: s => s.AddSingleton<IPaperMetadataSource>(held));
        // The servers' GUILD_CREATEs take the one worker and slot first; the held command must find both free.
        var names = bot.Get<ReadingBot.Core.Groups.WorkspaceNames>();
        await DiscordEmulator.WaitUntilAsync(() => names.Knows(ReadingBot.Core.Groups.Platforms.Discord, GuildA) && names.Knows(ReadingBot.Core.Groups.Platforms.Discord, GuildB), Wait, "both servers seen");

        var running = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", "2101.00001"));
        await held.Started.WaitAsync(Wait);
        var waiting = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "list");
        var pushedBack = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Bob, "paper", "list");
        await DiscordEmulator.WaitUntilAsync(() => pushedBack.AckedAt is not null && running.AckedAt is not null, Wait, "both were answered while the first was held");
        var deferredWhileHeld = pushedBack.CallbackType;
        held.Release();

        Assert.Equal(5, deferredWhileHeld);
        Assert.Equal(5, running.CallbackType);
        Assert.True(pushedBack.AckedAt < running.AckedAt, "the pushed-back interaction was deferred on arrival, before the held one's budget ran out");
        Assert.Contains("Added #1", await running.ReplyTextAsync(Wait));
        Assert.Contains("Library", await waiting.ReplyTextAsync(Wait));
        Assert.Contains("Library", await pushedBack.ReplyTextAsync(Wait));
        Assert.Empty(pushedBack.Errors);
        Assert.Contains(bot.Emulator.Recorder.Requests, r => r.Method == "PATCH" && r.Path.Contains(pushedBack.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_http_mode_a_full_pipeline_answers_the_request_with_a_deferral_at_once()
    {
        var held = new HeldMetadataSource();
        using var signer = new InteractionSigner();
        using var http = new HttpClient();
        await using var bot = await StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Discord:Mode"] = "Http", ["Discord:PublicKey"] = signer.PublicKeyHex, ["Discord:DeferAfterSeconds"] = "2.5",
                ["Discord:MaxConcurrentHandlers"] = "1", ["Discord:QueueCapacity"] = "1",
            },
            services: s => s.AddSingleton<IPaperMetadataSource>(held),
            waitForSession: false);
        await DiscordEmulator.WaitUntilAsync(() => bot.State.IsConnected, Wait, "Http mode ready");

        Task<HttpResponseMessage> Send(EmulatedInteraction interaction) => signer.SendAsync(http, bot.InteractionsEndpoint, interaction.Payload, DateTimeOffset.UtcNow);
        var running = Send(bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "paper", "add", ("ref", "2101.00001")));
        await held.Started.WaitAsync(Wait);
        var waiting = Send(bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "paper", "list"));
        await DiscordEmulator.WaitUntilAsync(() => bot.Get<ReadingBot.Core.Inbound.InboundPipeline<ReadingBot.Discord.Inbound.DiscordInboundItem>>().Count == 1, Wait, "the second one queued");
        var pushedBack = Send(bot.Emulator.NewCommand(GuildA, ChannelA, Bob, "paper", "list"));
        // The held command's own deferral comes 2.5 s after it arrived; the pushed-back one is answered before that.
        var first = await Task.WhenAny(running, pushedBack);
        using var pushedBackResponse = await pushedBack;
        var body = System.Text.Json.Nodes.JsonNode.Parse(await pushedBackResponse.Content.ReadAsStringAsync())!;
        held.Release();
        using var runningResponse = await running;
        using var waitingResponse = await waiting;

        Assert.Same(pushedBack, first);
        Assert.Equal(5, body["type"]!.GetValue<int>());
    }

    /// <summary>A metadata source that waits until the test lets it answer.</summary>
    private sealed class HeldMetadataSource : IPaperMetadataSource
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => started.Task;

        public void Release() => release.TrySetResult();

        public async Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
        {
            started.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
            return new MetadataResult.Unavailable("held in this test");
        }
    }
}
