using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Commands;

/// <summary>A command a member issued, bound from its spec. Each feature's module declares its own records.</summary>
public abstract record Command;

/// <summary>Runs the commands of one feature: the instance side of an <see cref="ICommandModule"/>.</summary>
public interface ICommandHandler
{
    /// <summary>Runs one of the module's commands; the dispatcher has already checked moderator rights.</summary>
    Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken);
}

/// <summary>
/// One feature's commands in one file: the command records, their <see cref="Specs"/>, and a switch that calls the
/// feature's service. Registered with one line in <see cref="CommandModules.AddCommandModules"/>; CONTRIBUTING.md
/// has the recipe.
/// </summary>
internal interface ICommandModule : ICommandHandler
{
    /// <summary>The feature's commands in the order <c>/help</c> lists them. Static, so listing needs no services.</summary>
    static abstract IReadOnlyList<CommandSpec> Specs { get; }
}

/// <summary>A registered module: the type that handles the commands, and their specs.</summary>
public sealed record CommandModuleEntry(Type Module, IReadOnlyList<CommandSpec> Specs);
