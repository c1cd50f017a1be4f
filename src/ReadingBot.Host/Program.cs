using ReadingBot.Host.Hosting;

return await ReadingBotHost.RunAsync(args);
