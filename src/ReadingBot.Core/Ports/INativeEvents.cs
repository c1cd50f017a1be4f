using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Ports;

/// <summary>What a platform's own calendar event for a week's meeting says.</summary>
/// <param name="Name">The event's title: the paper's title.</param>
/// <param name="Description">The paper, its link and how to take part; ends with <paramref name="Marker"/>.</param>
/// <param name="Start">The meeting time.</param>
/// <param name="End">The meeting's end.</param>
/// <param name="ChannelId">The channel the week was announced in, if it was.</param>
/// <param name="ThreadId">The week's discussion thread, if it has one: the event's location where the platform links to it.</param>
/// <param name="Marker">A tag unique to the group and week, carried in the description, by which an event whose creation was never recorded (a crash after the create) is found again.</param>
public sealed record NativeEventSpec(string Name, string Description, DateTimeOffset Start, DateTimeOffset End, string? ChannelId, string? ThreadId, string Marker);

/// <summary>
/// A platform's native calendar events (Discord's Guild Scheduled Events): the weekly meeting shown where the platform
/// shows meetings, with its own "Interested" button. Registered only by an adapter whose platform has them; a group
/// on a platform with none simply gets no event.
/// </summary>
public interface INativeEvents
{
    /// <summary>The platform these events belong to (see <see cref="Platforms"/>).</summary>
    string Platform { get; }

    /// <summary>The platform's name as members know it ("Discord"), for lines such as "12 interested on Discord".</summary>
    string DisplayName { get; }

    /// <summary>Creates the event; returns its id. Throws <see cref="NativeEventsRefusedException"/> when the bot lacks the permission.</summary>
    Task<string> CreateAsync(GroupAddress group, NativeEventSpec spec, CancellationToken cancellationToken);

    /// <summary>Changes the event to <paramref name="spec"/>; false when it is gone or finished (deleted or ended by hand), so a new one is needed.</summary>
    Task<bool> UpdateAsync(GroupAddress group, string eventId, NativeEventSpec spec, CancellationToken cancellationToken);

    /// <summary>Cancels the event; an event already gone or finished is left as it is.</summary>
    Task CancelAsync(GroupAddress group, string eventId, CancellationToken cancellationToken);

    /// <summary>The id of a scheduled (not yet finished) event whose description carries <paramref name="marker"/>, if there is one.</summary>
    Task<string?> FindAsync(GroupAddress group, string marker, CancellationToken cancellationToken);

    /// <summary>How many members marked the event "Interested"; null when the platform does not say.</summary>
    Task<int?> InterestedAsync(GroupAddress group, string eventId, CancellationToken cancellationToken);
}

/// <summary>The platform refused the bot's event for lack of a permission; the message is one line telling moderators what to grant.</summary>
public sealed class NativeEventsRefusedException(string message, Exception? inner = null) : OutboundException(message, inner);
