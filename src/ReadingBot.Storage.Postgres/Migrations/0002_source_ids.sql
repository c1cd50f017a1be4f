-- Schema 2. Discussion notes and streak corrections have no natural key; the LiteDB document id they were copied
-- from (migrate --to-postgres) makes a second copy find them. Rows written by the PostgreSQL store leave it NULL,
-- and NULLs never collide in a unique index.
ALTER TABLE discussion ADD COLUMN source_id text;
CREATE UNIQUE INDEX discussion_source ON discussion (group_id, source_id);
ALTER TABLE streak_audit ADD COLUMN source_id text;
CREATE UNIQUE INDEX streak_audit_source ON streak_audit (group_id, source_id);
