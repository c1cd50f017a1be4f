using ReadingBot.Bench.Discord;
using ReadingBot.Bench.Slack;

// One dispatcher for every benchmark: `dotnet run -c Release --project bench/ReadingBot.Bench -- <case> [options]`.
return args.FirstOrDefault() switch
{
    "discord" => await DiscordLoad.RunAsync(args[1..]),
    "slack" => await SlackSocketModeLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ReadingBot.Bench discord [seconds-per-step] [rate ...]");
    Console.Error.WriteLine("       ReadingBot.Bench slack [--commands N] [--concurrency N] [--seconds N]");
    return 2;
}
