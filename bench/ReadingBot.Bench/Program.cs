using ReadingBot.Bench.Slack;

// Load drivers, one per adapter: `dotnet run -c Release --project bench/ReadingBot.Bench -- slack [options]`.
return args.FirstOrDefault() switch
{
    "slack" => await SlackSocketModeLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ReadingBot.Bench slack [--commands N] [--concurrency N] [--seconds N]");
    return 2;
}
