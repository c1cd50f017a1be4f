-- Schema 14. Processes also keep what they read of suggestions, week plans, likes, WAYR posts, reading progress,
-- RSVPs, scheduled posts and adapter state (PgReadCache.Reads), so `week show` and `paper queue` need no round trip
-- once warm. These triggers tell every process which group's rows (or which adapter_state key) to forget, on the same
-- channel and with the same payload as migration 0013's; the kind letters are PgReadCache's ReadKind. A process of an
-- older version does not know these letters and forgets everything it keeps on each, which is slower but never stale.
CREATE TRIGGER suggestions_cache_notify AFTER INSERT OR UPDATE OR DELETE ON suggestions
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('s', 'group_id');
CREATE TRIGGER week_plans_cache_notify AFTER INSERT OR UPDATE OR DELETE ON week_plans
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('w', 'group_id');
CREATE TRIGGER likes_cache_notify AFTER INSERT OR UPDATE OR DELETE ON likes
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('k', 'group_id');
CREATE TRIGGER wayr_posts_cache_notify AFTER INSERT OR UPDATE OR DELETE ON wayr_posts
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('y', 'group_id');
CREATE TRIGGER progress_cache_notify AFTER INSERT OR UPDATE OR DELETE ON progress
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('r', 'group_id');
CREATE TRIGGER rsvps_cache_notify AFTER INSERT OR UPDATE OR DELETE ON rsvps
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('v', 'group_id');
CREATE TRIGGER scheduled_posts_cache_notify AFTER INSERT OR UPDATE OR DELETE ON scheduled_posts
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('o', 'group_id');
CREATE TRIGGER adapter_state_cache_notify AFTER INSERT OR UPDATE OR DELETE ON adapter_state
  FOR EACH ROW EXECUTE FUNCTION readingbot_cache_notify('a', 'state_key');

-- A like's (or dislike's) toggle in one round trip, with the two statements the store sent before: insert first, and
-- if the row was there, remove it. Each statement of a function takes a fresh snapshot (read committed), so of two
-- racing toggles the second still waits for the first's row, finds it and removes it: two toggles cancel out.
CREATE FUNCTION readingbot_toggle_mark(mark_table text, g text, m text, p text, marked_at timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  added int;
BEGIN
  EXECUTE format('INSERT INTO %I (group_id, member, paper_key, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', mark_table)
    USING g, m, p, marked_at;
  GET DIAGNOSTICS added = ROW_COUNT;
  IF added = 1 THEN
    RETURN true;
  END IF;
  EXECUTE format('DELETE FROM %I WHERE group_id = $1 AND member = $2 AND paper_key = $3', mark_table) USING g, m, p;
  RETURN false;
END
$$;
