using ReadingBot.Bench.Discord;

// Load drivers, one per platform: `dotnet run -c Release --project bench/ReadingBot.Bench -- discord [seconds-per-step] [rates...]`.
return args.FirstOrDefault() switch
{
    "discord" => await DiscordLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ReadingBot.Bench discord [seconds-per-step] [rate ...]");
    return 2;
}
