using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Weeks;
using ReadingBot.Composition;
using ReadingBot.Core.Groups;
using ReadingBot.Host.Composition;
using ReadingBot.Host.Hosting;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Tests;

/// <summary>Each options class the host binds: a bad value of one key is one friendly line naming it and its variable.</summary>
public sealed class SettingsValidationTests
{
    private static ServiceProvider Build(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        return Host(configuration);
    }

    /// <summary>The host's own composition: every project's registrations, then the host's.</summary>
    private static ServiceProvider Host(IConfiguration configuration)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration);
        services.AddHostServices(configuration, services.AddReadingBot(configuration, ReadingBotDatabase.OpenMemory()));
        return services.BuildServiceProvider();
    }

    public static TheoryData<string, string, Type, string> BadValues => new()
    {
        { "Library:FetchTimeoutSeconds", "0", typeof(LibraryOptions), "0 is out of range. Set it to a number of seconds from 0.1 to 60" },
        { "Library:PageSize", "101", typeof(LibraryOptions), "101 is out of range. Set it to a whole number from 1 to 100" },
        { "Scheduler:CatchUpHours", "200", typeof(SchedulerOptions), "200 is out of range. Set it to a number of hours from 0 to 168" },
        { "Storage:CheckpointMinutes", "0", typeof(StorageOptions), "0 is out of range. Set it to a number of minutes from 0.1 to 1440" },
        { "Web:LinkLifetimeHours", "721", typeof(WebOptions), "721 is out of range. Set it to a number of hours from 0.1 to 720" },
        { "Web:PublicBaseUrl", "ftp://x", typeof(WebOptions), "'ftp://x' is not an http(s) URL" },
        { "Local:Enabled", "maybe", typeof(LocalChatOptions), "'maybe' is not auto, true or false" },
        { "Groups:DefaultTimeZone", "Mars/Olympus", typeof(GroupsOptions), "'Mars/Olympus' is not an IANA time zone" },
        { "Recommendations:Feed:MaxResults", "0", typeof(RecommendationOptions), "0 is out of range. Set it to a whole number from 1 to 2000" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_is_one_line_naming_the_key_and_its_environment_variable(string key, string value, Type options, string problem)
    {
        using var provider = Build(key, value);
        var holder = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(options));

        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => holder.GetType().GetProperty("Value")!.GetValue(holder));
        var error = Assert.IsType<OptionsValidationException>(thrown.InnerException);

        var line = Assert.Single(error.Failures);
        Assert.StartsWith($"{key}: {problem}", line, StringComparison.Ordinal);
        Assert.Contains($" READINGBOT_{key.Replace(":", "__", StringComparison.Ordinal)} in the environment", line, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Core_options_are_bound_from_the_same_keys_as_before()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Library:FetchTimeoutSeconds"] = "7.5", ["Scheduler:CatchUpHours"] = "3", ["Scheduler:ClaimLeaseMinutes"] = "4",
        }).Build();
        using var provider = Host(configuration);

        Assert.Equal(TimeSpan.FromSeconds(7.5), provider.GetRequiredService<LibraryOptions>().FetchTimeout);
        Assert.Equal(TimeSpan.FromHours(3), provider.GetRequiredService<SchedulerOptions>().CatchUpWindow);
        Assert.Equal(TimeSpan.FromMinutes(4), provider.GetRequiredService<SchedulerOptions>().ClaimLease);
    }
}
