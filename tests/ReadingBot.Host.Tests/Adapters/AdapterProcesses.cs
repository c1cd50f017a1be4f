namespace ReadingBot.Host.Tests.Adapters;

/// <summary>The host processes that talk to an adapter emulator run one at a time, as they did in the adapters' own projects.</summary>
[CollectionDefinition(Name)]
public sealed class AdapterProcesses
{
    public const string Name = "host processes against an adapter emulator";
}
