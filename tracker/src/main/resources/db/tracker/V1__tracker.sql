-- The tracker's schema. Hits live in Kafka (the log is the truth); everything here is either a
-- daily salt or a projection of the log, which can be dropped and rebuilt by replaying the topic.

CREATE TABLE tracker.salts (
  day  date PRIMARY KEY,         -- UTC day the salt hashes visitors for
  salt bytea NOT NULL            -- 32 random bytes; the row is deleted once its day is over
);

-- Where each projection version stands in the topic: the next offset to apply, per partition.
-- Written in the same transaction as the projection's rows, so a replayed record is recognised and
-- skipped: a crash between the two cannot double-count.
CREATE TABLE tracker.projection_offsets (
  version         integer NOT NULL,
  topic           text    NOT NULL,
  kafka_partition integer NOT NULL,
  next_offset     bigint  NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version, topic, kafka_partition)
);

-- The tables of projection version v, suffixed _v<v>, so that a new version can be built beside the
-- one the query API reads and switched to. Idempotent; several instances may call it at once.
CREATE FUNCTION tracker.create_projection(v integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF v IS NULL OR v < 1 THEN
    RAISE EXCEPTION 'projection version must be a positive integer, got %', v;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('tracker.create_projection'), v);
  -- page views per minute and page
  EXECUTE format('CREATE TABLE IF NOT EXISTS tracker.%I (
      site text NOT NULL, minute timestamptz NOT NULL, page text NOT NULL, views bigint NOT NULL,
      PRIMARY KEY (site, minute, page))', 'page_views_v' || v);
  -- the set of visitors seen per minute and page: unique visitors of any bucket are counted from it exactly
  EXECUTE format('CREATE TABLE IF NOT EXISTS tracker.%I (
      site text NOT NULL, minute timestamptz NOT NULL, page text NOT NULL, visitor bigint NOT NULL,
      PRIMARY KEY (site, minute, page, visitor))', 'page_visitors_v' || v);
  -- page views per minute, page and source (referrer host or campaign source; empty for direct)
  EXECUTE format('CREATE TABLE IF NOT EXISTS tracker.%I (
      site text NOT NULL, minute timestamptz NOT NULL, page text NOT NULL, referrer text NOT NULL, views bigint NOT NULL,
      PRIMARY KEY (site, minute, page, referrer))', 'referrers_v' || v);
  -- custom events per minute, page and name
  EXECUTE format('CREATE TABLE IF NOT EXISTS tracker.%I (
      site text NOT NULL, minute timestamptz NOT NULL, page text NOT NULL, name text NOT NULL, events bigint NOT NULL,
      PRIMARY KEY (site, minute, page, name))', 'events_v' || v);
  -- each visitor's latest hit (and page) of the day: "visitors now" counts those seen in the last minutes
  EXECUTE format('CREATE TABLE IF NOT EXISTS tracker.%I (
      site text NOT NULL, visitor bigint NOT NULL, last_seen timestamptz NOT NULL, page text NOT NULL,
      PRIMARY KEY (site, visitor))', 'live_visitors_v' || v);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON tracker.%I (site, last_seen)',
      'live_visitors_v' || v || '_seen', 'live_visitors_v' || v);
  -- the sites seen, for pickers
  EXECUTE format('CREATE TABLE IF NOT EXISTS tracker.%I (
      site text PRIMARY KEY, first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL, views bigint NOT NULL)',
      'sites_v' || v);
END $$;

-- Drops projection version v and forgets its offsets: the next consumer of that version rebuilds it
-- from the start of the topic.
CREATE FUNCTION tracker.drop_projection(v integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('tracker.create_projection'), v);
  FOREACH t IN ARRAY ARRAY['page_views', 'page_visitors', 'referrers', 'events', 'live_visitors', 'sites'] LOOP
    EXECUTE format('DROP TABLE IF EXISTS tracker.%I', t || '_v' || v);
  END LOOP;
  DELETE FROM tracker.projection_offsets WHERE version = v;
END $$;
