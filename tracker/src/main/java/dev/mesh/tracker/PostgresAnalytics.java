package dev.mesh.tracker;

import dev.mesh.common.Databases;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link Analytics} from one version of the PostgreSQL projections. User input only ever travels as
 * bound parameters; the table suffix is the configured version number. Text is ordered by code
 * point ({@code COLLATE "C"}), whatever the database's locale, so that ties are broken as every
 * backend breaks them.
 */
final class PostgresAnalytics implements Analytics {

  private final Pool pool;
  private final String views;
  private final String visitors;
  private final String referrers;
  private final String events;
  private final String live;
  private final String sites;

  PostgresAnalytics(Pool pool, int version) {
    if (version < 1) {
      throw new IllegalArgumentException(
          "A projection version is a positive integer, got " + version);
    }
    this.pool = pool;
    this.views = "tracker.page_views_v" + version;
    this.visitors = "tracker.page_visitors_v" + version;
    this.referrers = "tracker.referrers_v" + version;
    this.events = "tracker.events_v" + version;
    this.live = "tracker.live_visitors_v" + version;
    this.sites = "tracker.sites_v" + version;
  }

  /** {@code site = $1 AND minute >= $2 AND minute < $3}, and {@code page = $4} when narrowed. */
  private static String where(Query query) {
    return " WHERE site = $1 AND minute >= $2 AND minute < $3"
        + (query.page() == null ? "" : " AND page = $4");
  }

  private static Tuple params(Query query) {
    Tuple tuple = Tuple.of(query.site(), utc(query.from()), utc(query.to()));
    return query.page() == null ? tuple : tuple.addString(query.page());
  }

  @Override
  public Future<List<Point>> series(Query query, Bucket bucket) {
    String b = "$" + (query.page() == null ? 4 : 5);
    String sql =
        "SELECT coalesce(v.t, u.t) AS t, coalesce(v.views, 0) AS views, coalesce(u.visitors, 0) AS visitors FROM "
            + "(SELECT date_trunc("
            + b
            + ", minute, 'UTC') AS t, sum(views) AS views FROM "
            + views
            + where(query)
            + " GROUP BY 1) v "
            + "FULL JOIN (SELECT date_trunc("
            + b
            + ", minute, 'UTC') AS t, count(DISTINCT visitor) AS visitors FROM "
            + visitors
            + where(query)
            + " GROUP BY 1) u ON v.t = u.t ORDER BY 1";
    return run(sql, params(query).addString(bucket.sql()))
        .map(
            rows ->
                list(
                    rows,
                    row ->
                        new Point(
                            instant(row.getOffsetDateTime("t")),
                            row.getLong("views"),
                            row.getLong("visitors"))));
  }

  @Override
  public Future<Counts> totals(Query query) {
    String sql =
        "SELECT (SELECT coalesce(sum(views), 0) FROM "
            + views
            + where(query)
            + ") AS views, "
            + "(SELECT count(DISTINCT visitor) FROM "
            + visitors
            + where(query)
            + ") AS visitors";
    return run(sql, params(query))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Counts(row.getLong("views"), row.getLong("visitors"));
            });
  }

  @Override
  public Future<List<PageCounts>> topPages(Query query, int limit) {
    Query site = new Query(query.site(), query.from(), query.to(), null);
    String sql =
        "SELECT v.page, v.views, coalesce(u.visitors, 0) AS visitors FROM "
            + "(SELECT page, sum(views) AS views FROM "
            + views
            + where(site)
            + " GROUP BY page) v LEFT JOIN "
            + "(SELECT page, count(DISTINCT visitor) AS visitors FROM "
            + visitors
            + where(site)
            + " GROUP BY page) u "
            + "ON v.page = u.page ORDER BY v.views DESC, visitors DESC, v.page COLLATE \"C\" LIMIT $4";
    return run(sql, params(site).addInteger(limit))
        .map(
            rows ->
                list(
                    rows,
                    row ->
                        new PageCounts(
                            row.getString("page"), row.getLong("views"), row.getLong("visitors"))));
  }

  @Override
  public Future<List<Ranked>> topReferrers(Query query, int limit) {
    return ranked("referrer", "sum(views)", referrers, query, limit);
  }

  @Override
  public Future<List<Ranked>> topEvents(Query query, int limit) {
    return ranked("name", "sum(events)", events, query, limit);
  }

  private Future<List<Ranked>> ranked(
      String key, String count, String table, Query query, int limit) {
    String sql =
        "SELECT "
            + key
            + " AS key, "
            + count
            + " AS count FROM "
            + table
            + where(query)
            + " GROUP BY 1 ORDER BY 2 DESC, "
            + key
            + " COLLATE \"C\" LIMIT $"
            + (query.page() == null ? 4 : 5);
    return run(sql, params(query).addInteger(limit))
        .map(rows -> list(rows, row -> new Ranked(row.getString("key"), row.getLong("count"))));
  }

  @Override
  public Future<Long> visitorsSince(String site, String page, Instant since) {
    String sql =
        "SELECT count(*) AS visitors FROM "
            + live
            + " WHERE site = $1 AND last_seen >= $2"
            + (page == null ? "" : " AND page = $3");
    Tuple params = Tuple.of(site, utc(since));
    if (page != null) {
      params.addString(page);
    }
    return run(sql, params).map(rows -> rows.iterator().next().getLong("visitors"));
  }

  @Override
  public Future<List<Site>> sites() {
    return run(
            "SELECT site, first_seen, last_seen, views FROM "
                + sites
                + " ORDER BY site COLLATE \"C\"",
            Tuple.tuple())
        .map(
            rows ->
                list(
                    rows,
                    row ->
                        new Site(
                            row.getString("site"),
                            instant(row.getOffsetDateTime("first_seen")),
                            instant(row.getOffsetDateTime("last_seen")),
                            row.getLong("views"))));
  }

  /**
   * The statement's rows; a database that cannot be reached (down, restarting, no free connection)
   * is {@link Unavailable}.
   */
  private Future<RowSet<Row>> run(String sql, Tuple params) {
    return pool.preparedQuery(sql)
        .execute(params)
        .recover(
            failure ->
                Future.failedFuture(
                    Databases.unreachable(failure)
                        ? new Unavailable("the PostgreSQL projections cannot be reached")
                        : failure));
  }

  private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> map) {
    List<T> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(map.apply(row)));
    return list;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime value) {
    return value.toInstant();
  }
}
