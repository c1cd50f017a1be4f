-- Schema 5. Discord session starts (IDENTIFYs) of the last 24 h, per bot token's ledger, shared by every bot process
-- on the database: the daily identify budget belongs to the token, not to a process. Shared (no group), like
-- deliveries and adapter_state.
CREATE TABLE session_starts (
    ledger_key text        NOT NULL,
    started_at timestamptz NOT NULL,
    shard_id   integer     NOT NULL,
    PRIMARY KEY (ledger_key, started_at, shard_id)
);
