-- Schema 13. Processes keep groups, members, library entries and paper records in memory (PgReadCache); every
-- committed change to one of those rows tells every process which to forget, on the channel readingbot_cache.
-- PostgreSQL delivers a NOTIFY only when its transaction commits (a rolled-back write says nothing) and sends the
-- same payload once per transaction. The payload is the row's schema, a kind letter and the row's key, separated by
-- the unit separator (chr(31)), so processes on other schemas of the same database ignore it. The trigger's
-- arguments are the kind letter and the key columns.
CREATE FUNCTION readingbot_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
  payload text;
  i int;
BEGIN
  -- An update notifies the old key and the new one (a merge renames a library entry's paper).
  FOREACH changed IN ARRAY CASE TG_OP
      WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)]
      WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)]
      ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END LOOP
    payload := TG_TABLE_SCHEMA || chr(31) || TG_ARGV[0];
    FOR i IN 1 .. TG_NARGS - 1 LOOP
      payload := payload || chr(31) || coalesce(changed ->> TG_ARGV[i], '');
    END LOOP;
    PERFORM pg_notify('readingbot_cache', payload);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER groups_cache_notify AFTER INSERT OR UPDATE OR DELETE ON groups
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('g', 'group_id');
CREATE TRIGGER members_cache_notify AFTER INSERT OR UPDATE OR DELETE ON members
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('m', 'group_id', 'user_id');
CREATE TRIGGER library_cache_notify AFTER INSERT OR UPDATE OR DELETE ON library
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('l', 'group_id');
CREATE TRIGGER papers_cache_notify AFTER INSERT OR UPDATE OR DELETE ON papers
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('p', 'paper_key');
