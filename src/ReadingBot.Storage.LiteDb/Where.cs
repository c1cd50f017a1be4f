using LiteDB;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// Query filters whose values stay parameters. LiteDB 5.0.21's <c>Query.EQ</c>, <c>Query.Between</c> and the like write
/// each value into the expression's text, so every new value (a group, a paper key, an instant) parses and compiles an
/// expression that a process-wide cache then keeps for good (LiteDB issue #2807): measured here at about 2 ms and 3 KB
/// a value. With the value as <c>@0</c> the text, and so the compiled expression, is one per field, and the index is
/// used as before.
/// </summary>
internal static class Where
{
    public static BsonExpression Equal(string field, BsonValue value) => BsonExpression.Create($"$.{field} = @0", value);

    /// <summary>Both ends included, as LiteDB's BETWEEN.</summary>
    public static BsonExpression Between(string field, BsonValue from, BsonValue to) => BsonExpression.Create($"$.{field} BETWEEN @0 AND @1", from, to);

    public static BsonExpression Below(string field, BsonValue value) => BsonExpression.Create($"$.{field} < @0", value);
}
