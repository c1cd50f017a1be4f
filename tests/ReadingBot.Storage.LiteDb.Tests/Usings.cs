namespace ReadingBot.Storage.LiteDb.Tests;
