package dev.mesh.tracker;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The questions the analytics widget asks, answered by a backend: the PostgreSQL projections
 * ({@link PostgresAnalytics}) or the Apache Pinot real-time table ({@link PinotAnalytics}).
 * Backends return plain values; {@link QueryApi} turns them into JSON, so every backend answers the
 * same JSON for the same hits.
 *
 * <p>Ranges are half-open, {@code [from, to)}, at whole minutes; {@code page} is null for the whole
 * site. Visitors are distinct daily visitor hashes.
 */
interface Analytics {

  /**
   * The backend cannot answer now (down, overloaded, refusing): the API answers 503 with this
   * message.
   */
  final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** A site, a range, and optionally one page. */
  record Query(String site, Instant from, Instant to, String page) {}

  /** Bucket sizes of a time series, aligned to UTC. */
  enum Bucket {
    MINUTE(60),
    HOUR(3600),
    DAY(86400);

    final long seconds;

    Bucket(long seconds) {
      this.seconds = seconds;
    }

    String sql() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record Counts(long views, long visitors) {}

  /** One bucket with data: its start, views and distinct visitors. */
  record Point(Instant start, long views, long visitors) {}

  record PageCounts(String page, long views, long visitors) {}

  /** A referrer or event name with its count. */
  record Ranked(String key, long count) {}

  record Site(String site, Instant firstSeen, Instant lastSeen, long views) {}

  /** The buckets of the range that have page views (the API fills in the empty ones). */
  Future<List<Point>> series(Query query, Bucket bucket);

  Future<Counts> totals(Query query);

  /** Pages by views, then visitors, then path ({@code query.page()} is ignored). */
  Future<List<PageCounts>> topPages(Query query, int limit);

  /** Sources by views, then name; the empty source is direct traffic. */
  Future<List<Ranked>> topReferrers(Query query, int limit);

  Future<List<Ranked>> topEvents(Query query, int limit);

  /**
   * Distinct visitors whose latest hit is at or after {@code since} (and on {@code page}, if not
   * null).
   */
  Future<Long> visitorsSince(String site, String page, Instant since);

  Future<List<Site>> sites();
}
