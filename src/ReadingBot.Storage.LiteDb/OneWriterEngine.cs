using LiteDB;
using LiteDB.Engine;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// LiteDB's engine with one write at a time in the database. LiteDB 5 lets write transactions on different collections
/// run at once, but they share the header page's list of free pages, and two of them can corrupt it: a page ends up both
/// in use and free ("LiteDB ENSURE: empty page must be defined as empty type"), and the damage is written to the file
/// (litedb-org/LiteDB#2825, still reported on 5.0.21). Its author's remedy is one writer per database, which this is:
/// every call that writes takes <see cref="WriteGate"/>, and <see cref="ReadingBotDatabase.InTransaction{T}"/> holds the
/// same gate for a whole explicit transaction (the gate is reentrant, so writes inside it pass). Reads never wait for it.
/// Checkpoints do not take it: LiteDB runs them alone anyway, and a checkpoint waiting on the gate could wait for a
/// reader that waits on it.
/// </summary>
internal sealed class OneWriterEngine(LiteEngine inner) : ILiteEngine
{
    /// <summary>Held by every write, and by an explicit transaction from its start to its end.</summary>
    public Lock WriteGate { get; } = new();

    public int Checkpoint() => inner.Checkpoint();

    public long Rebuild(RebuildOptions options) => Write(() => inner.Rebuild(options));

    public bool BeginTrans() => inner.BeginTrans();

    public bool Commit() => inner.Commit();

    public bool Rollback() => inner.Rollback();

    public IBsonDataReader Query(string collection, Query query) => inner.Query(collection, query);

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(() => inner.Insert(collection, docs, autoId));

    public int Update(string collection, IEnumerable<BsonDocument> docs) => Write(() => inner.Update(collection, docs));

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Write(() => inner.UpdateMany(collection, transform, predicate));

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(() => inner.Upsert(collection, docs, autoId));

    public int Delete(string collection, IEnumerable<BsonValue> ids) => Write(() => inner.Delete(collection, ids));

    public int DeleteMany(string collection, BsonExpression predicate) => Write(() => inner.DeleteMany(collection, predicate));

    public bool DropCollection(string name) => Write(() => inner.DropCollection(name));

    public bool RenameCollection(string name, string newName) => Write(() => inner.RenameCollection(name, newName));

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Write(() => inner.EnsureIndex(collection, name, expression, unique));

    public bool DropIndex(string collection, string name) => Write(() => inner.DropIndex(collection, name));

    public BsonValue Pragma(string name) => inner.Pragma(name);

    public bool Pragma(string name, BsonValue value) => Write(() => inner.Pragma(name, value));

    public void Dispose() => inner.Dispose();

    private T Write<T>(Func<T> write)
    {
        lock (WriteGate)
        {
            return write();
        }
    }
}
