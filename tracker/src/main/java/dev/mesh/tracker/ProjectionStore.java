package dev.mesh.tracker;

import dev.mesh.common.Contract;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One version of the projection in PostgreSQL: applies batches of records from the hits topic,
 * idempotently. The next offset of each partition is stored in the same transaction as the rows it
 * produced; records below it were applied before (a redelivery) and are skipped, and a batch that
 * starts beyond it (the consumer is not where the projection stands) is left for a seek.
 */
final class ProjectionStore {

  /** A record as delivered from the topic. */
  record Delivered(int partition, long offset, String value) {}

  /**
   * What a batch did: records applied, records skipped as already applied, records that were not
   * hits (skipped for good), and partitions whose records started past the stored offset, with that
   * offset.
   */
  record Applied(int applied, int skipped, int invalid, Map<Integer, Long> gaps) {}

  private final Pool pool;
  private final String topic;
  private final int version;
  private final Contract hitContract = Contract.load(TrackerContracts.HIT);

  ProjectionStore(Pool pool, String topic, int version) {
    if (version < 1) {
      throw new IllegalArgumentException(
          "A projection version is a positive integer, got " + version);
    }
    this.pool = pool;
    this.topic = topic;
    this.version = version;
  }

  int version() {
    return version;
  }

  /** Creates this version's tables unless they exist. */
  Future<Void> create() {
    return pool.preparedQuery("SELECT tracker.create_projection($1)")
        .execute(Tuple.of(version))
        .mapEmpty();
  }

  /** The stored next offset of each partition that has one. */
  Future<Map<Integer, Long>> storedOffsets() {
    return pool.preparedQuery(
            "SELECT kafka_partition, next_offset FROM tracker.projection_offsets WHERE version = $1 AND topic = $2")
        .execute(Tuple.of(version, topic))
        .map(
            rows -> {
              Map<Integer, Long> offsets = new HashMap<>();
              rows.forEach(
                  row ->
                      offsets.put(row.getInteger("kafka_partition"), row.getLong("next_offset")));
              return offsets;
            });
  }

  /**
   * Drops this version's tables and offsets: the next consumer of it rebuilds it from the start of
   * the topic.
   */
  Future<Void> drop() {
    return pool.preparedQuery("SELECT tracker.drop_projection($1)")
        .execute(Tuple.of(version))
        .mapEmpty();
  }

  Future<Applied> apply(List<Delivered> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(new Applied(0, 0, 0, Map.of()));
    }
    Map<Integer, List<Delivered>> byPartition = new TreeMap<>();
    for (Delivered record : batch) {
      byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
    }
    byPartition
        .values()
        .forEach(records -> records.sort(Comparator.comparingLong(Delivered::offset)));
    return pool.withTransaction(
        connection ->
            lockOffsets(connection, byPartition)
                .compose(stored -> applyNew(connection, byPartition, stored)));
  }

  /**
   * Locks the partitions' offset rows (creating those missing at the batch's first offset: the
   * consumer starts a partition without a row at its beginning), so that two instances cannot apply
   * the same records at once.
   */
  private Future<Map<Integer, Long>> lockOffsets(
      SqlConnection connection, Map<Integer, List<Delivered>> byPartition) {
    Integer[] partitions = byPartition.keySet().toArray(Integer[]::new);
    Long[] firsts =
        byPartition.values().stream().map(records -> records.get(0).offset()).toArray(Long[]::new);
    return connection
        .preparedQuery(
            "INSERT INTO tracker.projection_offsets (version, topic, kafka_partition, next_offset) "
                + "SELECT $1, $2, p, o FROM unnest($3::int[], $4::bigint[]) AS t(p, o) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(version, topic, partitions, firsts))
        .compose(
            inserted ->
                connection
                    .preparedQuery(
                        "SELECT kafka_partition, next_offset FROM tracker.projection_offsets "
                            + "WHERE version = $1 AND topic = $2 AND kafka_partition = ANY($3::int[]) FOR UPDATE")
                    .execute(Tuple.of(version, topic, partitions)))
        .map(
            rows -> {
              Map<Integer, Long> stored = new HashMap<>();
              for (Row row : rows) {
                stored.put(row.getInteger("kafka_partition"), row.getLong("next_offset"));
              }
              return stored;
            });
  }

  private Future<Applied> applyNew(
      SqlConnection connection,
      Map<Integer, List<Delivered>> byPartition,
      Map<Integer, Long> stored) {
    Aggregate aggregate = new Aggregate();
    Map<Integer, Long> advanced = new LinkedHashMap<>();
    Map<Integer, Long> gaps = new HashMap<>();
    int skipped = 0;
    int invalid = 0;
    for (Map.Entry<Integer, List<Delivered>> entry : byPartition.entrySet()) {
      long next = stored.get(entry.getKey());
      List<Delivered> fresh = entry.getValue().stream().filter(r -> r.offset() >= next).toList();
      skipped += entry.getValue().size() - fresh.size();
      if (fresh.isEmpty()) {
        continue;
      }
      if (fresh.get(0).offset() > next) {
        // records between the stored offset and these were never applied: apply nothing, seek back
        gaps.put(entry.getKey(), next);
        continue;
      }
      for (Delivered record : fresh) {
        JsonObject hit = hit(record.value());
        if (hit == null) {
          invalid++;
        } else {
          aggregate.add(hit);
        }
      }
      advanced.put(entry.getKey(), fresh.get(fresh.size() - 1).offset() + 1);
    }
    int applied = aggregate.hits;
    Applied result = new Applied(applied, skipped, invalid, gaps);
    if (advanced.isEmpty()) {
      return Future.succeededFuture(result);
    }
    return aggregate
        .write(connection, version)
        .compose(
            v ->
                connection
                    .preparedQuery(
                        "UPDATE tracker.projection_offsets SET next_offset = t.o, updated_at = now() "
                            + "FROM unnest($3::int[], $4::bigint[]) AS t(p, o) WHERE version = $1 AND topic = $2 AND kafka_partition = t.p")
                    .execute(
                        Tuple.of(
                            version,
                            topic,
                            advanced.keySet().toArray(Integer[]::new),
                            advanced.values().toArray(Long[]::new))))
        .map(result);
  }

  /**
   * The record as a hit, or null when it is not one (it is skipped, and its offset passed, for
   * good).
   */
  private JsonObject hit(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonObject hit = new JsonObject(value);
      return ContractFastPath.isPlainHit(hit) || hitContract.problems(hit).isEmpty() ? hit : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /** A batch's hits summed per row of each table, so that each upsert touches a row once. */
  private static final class Aggregate {

    private record PageKey(String site, OffsetDateTime minute, String page) {}

    private record VisitorKey(String site, OffsetDateTime minute, String page, long visitor) {}

    private record NamedKey(String site, OffsetDateTime minute, String page, String name) {}

    private record LiveKey(String site, long visitor) {}

    private record Seen(OffsetDateTime at, String page) {}

    private record SiteSeen(OffsetDateTime first, OffsetDateTime last, long views) {}

    private final Map<PageKey, Long> views = new HashMap<>();
    private final Set<VisitorKey> visitors = new HashSet<>();
    private final Map<NamedKey, Long> referrers = new HashMap<>();
    private final Map<NamedKey, Long> events = new HashMap<>();
    private final Map<LiveKey, Seen> live = new HashMap<>();
    private final Map<String, SiteSeen> sites = new HashMap<>();
    private int hits;

    void add(JsonObject hit) {
      hits++;
      String site = hit.getString("site");
      String page = hit.getString("page");
      OffsetDateTime at = Instant.ofEpochMilli(hit.getLong("ts")).atOffset(ZoneOffset.UTC);
      OffsetDateTime minute = at.truncatedTo(ChronoUnit.MINUTES);
      long visitor = Long.parseUnsignedLong(hit.getString("visitor"), 16);
      String name = hit.getString("name");
      boolean pageview = Collector.PAGEVIEW.equals(name);
      if (pageview) {
        views.merge(new PageKey(site, minute, page), 1L, Long::sum);
        visitors.add(new VisitorKey(site, minute, page, visitor));
        referrers.merge(new NamedKey(site, minute, page, hit.getString("referrer")), 1L, Long::sum);
      } else {
        events.merge(new NamedKey(site, minute, page, name), 1L, Long::sum);
      }
      live.merge(
          new LiveKey(site, visitor),
          new Seen(at, page),
          (a, b) -> b.at().isBefore(a.at()) ? a : b);
      sites.merge(
          site,
          new SiteSeen(at, at, pageview ? 1 : 0),
          (a, b) ->
              new SiteSeen(
                  a.first().isBefore(b.first()) ? a.first() : b.first(),
                  a.last().isAfter(b.last()) ? a.last() : b.last(),
                  a.views() + b.views()));
    }

    /** Table names carry the version, an integer of the configuration, never request input. */
    Future<Void> write(SqlConnection connection, int version) {
      List<Future<?>> writes = new ArrayList<>();
      if (!views.isEmpty()) {
        List<Map.Entry<PageKey, Long>> pageViews = List.copyOf(views.entrySet());
        writes.add(
            connection
                .preparedQuery(
                    "INSERT INTO tracker.page_views_v"
                        + version
                        + " AS t (site, minute, page, views) "
                        + "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::bigint[]) "
                        + "ON CONFLICT (site, minute, page) DO UPDATE SET views = t.views + excluded.views")
                .execute(
                    Tuple.of(
                        column(pageViews, e -> e.getKey().site(), String[]::new),
                        column(pageViews, e -> e.getKey().minute(), OffsetDateTime[]::new),
                        column(pageViews, e -> e.getKey().page(), String[]::new),
                        column(pageViews, Map.Entry::getValue, Long[]::new))));
        List<VisitorKey> seen = List.copyOf(visitors);
        writes.add(
            connection
                .preparedQuery(
                    "INSERT INTO tracker.page_visitors_v"
                        + version
                        + " (site, minute, page, visitor) "
                        + "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING")
                .execute(
                    Tuple.of(
                        column(seen, VisitorKey::site, String[]::new),
                        column(seen, VisitorKey::minute, OffsetDateTime[]::new),
                        column(seen, VisitorKey::page, String[]::new),
                        column(seen, VisitorKey::visitor, Long[]::new))));
        writes.add(
            connection
                .preparedQuery(
                    "INSERT INTO tracker.referrers_v"
                        + version
                        + " AS t (site, minute, page, referrer, views) "
                        + "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::bigint[]) "
                        + "ON CONFLICT (site, minute, page, referrer) DO UPDATE SET views = t.views + excluded.views")
                .execute(named(referrers)));
      }
      if (!events.isEmpty()) {
        writes.add(
            connection
                .preparedQuery(
                    "INSERT INTO tracker.events_v"
                        + version
                        + " AS t (site, minute, page, name, events) "
                        + "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::bigint[]) "
                        + "ON CONFLICT (site, minute, page, name) DO UPDATE SET events = t.events + excluded.events")
                .execute(named(events)));
      }
      List<Map.Entry<LiveKey, Seen>> latest = List.copyOf(live.entrySet());
      writes.add(
          connection
              .preparedQuery(
                  "INSERT INTO tracker.live_visitors_v"
                      + version
                      + " AS t (site, visitor, last_seen, page) "
                      + "SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[]) "
                      + "ON CONFLICT (site, visitor) DO UPDATE SET last_seen = excluded.last_seen, page = excluded.page "
                      + "WHERE excluded.last_seen >= t.last_seen")
              .execute(
                  Tuple.of(
                      column(latest, e -> e.getKey().site(), String[]::new),
                      column(latest, e -> e.getKey().visitor(), Long[]::new),
                      column(latest, e -> e.getValue().at(), OffsetDateTime[]::new),
                      column(latest, e -> e.getValue().page(), String[]::new))));
      List<Map.Entry<String, SiteSeen>> seenSites = List.copyOf(sites.entrySet());
      writes.add(
          connection
              .preparedQuery(
                  "INSERT INTO tracker.sites_v"
                      + version
                      + " AS t (site, first_seen, last_seen, views) "
                      + "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::bigint[]) "
                      + "ON CONFLICT (site) DO UPDATE SET first_seen = least(t.first_seen, excluded.first_seen), "
                      + "last_seen = greatest(t.last_seen, excluded.last_seen), views = t.views + excluded.views")
              .execute(
                  Tuple.of(
                      column(seenSites, Map.Entry::getKey, String[]::new),
                      column(seenSites, e -> e.getValue().first(), OffsetDateTime[]::new),
                      column(seenSites, e -> e.getValue().last(), OffsetDateTime[]::new),
                      column(seenSites, e -> e.getValue().views(), Long[]::new))));
      // statements on one connection run one after the other; all of them or none commit
      return Future.all(writes).mapEmpty();
    }

    private static Tuple named(Map<NamedKey, Long> counts) {
      List<Map.Entry<NamedKey, Long>> rows = List.copyOf(counts.entrySet());
      return Tuple.of(
          column(rows, e -> e.getKey().site(), String[]::new),
          column(rows, e -> e.getKey().minute(), OffsetDateTime[]::new),
          column(rows, e -> e.getKey().page(), String[]::new),
          column(rows, e -> e.getKey().name(), String[]::new),
          column(rows, Map.Entry::getValue, Long[]::new));
    }

    /** One column of rows, as the array {@code unnest} takes. */
    private static <R, T> T[] column(
        List<R> rows,
        java.util.function.Function<R, T> field,
        java.util.function.IntFunction<T[]> array) {
      return rows.stream().map(field).toArray(array);
    }
  }
}
