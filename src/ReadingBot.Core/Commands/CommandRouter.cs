using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Commands;

/// <summary>Sends each bound command to the module whose spec bound it. No mediator, no reflection per command.</summary>
public sealed class CommandRouter
{
    private readonly CommandCatalogue catalogue;
    private readonly Dictionary<Type, ICommandHandler> handlers;

    public CommandRouter(CommandCatalogue catalogue, IEnumerable<ICommandHandler> handlers)
    {
        this.catalogue = catalogue;
        this.handlers = handlers.ToDictionary(h => h.GetType());
    }

    public Task<Reply> RouteAsync(Invocation invocation, CommandSpec spec, Command command, CancellationToken cancellationToken)
    {
        var module = catalogue.ModuleOf(spec)
            ?? throw new InvalidOperationException($"/{spec.Path} belongs to no registered module");
        return handlers.TryGetValue(module, out var handler)
            ? handler.RouteAsync(invocation, command, cancellationToken)
            : throw new InvalidOperationException($"the module {module.Name} of /{spec.Path} is not registered");
    }
}
