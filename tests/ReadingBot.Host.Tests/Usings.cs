namespace ReadingBot.Host.Tests;
