package dev.mesh.tracker;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * {@link Analytics} from the Apache Pinot real-time table fed by the hits topic (one row per hit,
 * see {@code pinot/hits-schema.json}), through the broker's SQL endpoint. The same questions as
 * {@link PostgresAnalytics}, asked of raw hits instead of per-minute projections: views are
 * page-view rows, visitors exact distinct hashes ({@code DISTINCTCOUNT}, not the approximate HLL),
 * and ranges, being whole minutes, bound the hit's own time exactly as they bound the projection's
 * minute.
 *
 * <p>A broker that cannot be reached, does not answer within {@link #TIMEOUT}, or answers an error
 * or from fewer servers than it asked is {@link Analytics.Unavailable}: the API says 503, never a
 * partial number.
 */
final class PinotAnalytics implements Analytics {

  /**
   * Longer than any of the widget's queries take on a loaded broker; shorter than a browser's
   * patience.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * Sites, pages or visitors a group-by may return at most: far beyond what a widget or a site list
   * shows.
   */
  private static final int MAX_GROUPS = 1_000_000;

  private static final System.Logger LOG = System.getLogger(PinotAnalytics.class.getName());

  private final WebClient client;
  private final String broker;
  private final String table;

  /**
   * {@code broker}: base URL such as {@code http://pinot-broker:8099}; {@code table}: the hits
   * table's name.
   */
  PinotAnalytics(WebClient client, String broker, String table) {
    this.client = client;
    this.broker = broker.endsWith("/") ? broker.substring(0, broker.length() - 1) : broker;
    this.table = PinotSql.table(table);
  }

  /**
   * {@code FROM <table> WHERE} the site's page views of the range, and of the page when narrowed.
   */
  private String pageViews(Query query) {
    return " FROM "
        + table
        + " WHERE site = ? AND name = ? AND ts >= ? AND ts < ?"
        + (query.page() == null ? "" : " AND page = ?");
  }

  private static PinotSql bind(PinotSql sql, Query query) {
    sql.string(query.site()).string(Collector.PAGEVIEW).millis(query.from()).millis(query.to());
    return query.page() == null ? sql : sql.string(query.page());
  }

  @Override
  public Future<List<Point>> series(Query query, Bucket bucket) {
    String t = "DATETRUNC(?, ts, 'MILLISECONDS')";
    PinotSql sql =
        PinotSql.of(
                "SELECT "
                    + t
                    + ", COUNT(*), DISTINCTCOUNT(visitor)"
                    + pageViews(query)
                    + " GROUP BY "
                    + t
                    + " ORDER BY "
                    + t
                    + " LIMIT ?")
            .string(bucket.sql());
    bind(sql, query).string(bucket.sql()).string(bucket.sql()).number(QueryWindow.MAX_POINTS + 1L);
    return rows(sql)
        .map(
            rows ->
                list(
                    rows,
                    row ->
                        new Point(
                            Instant.ofEpochMilli(row.getLong(0)), row.getLong(1), row.getLong(2))));
  }

  @Override
  public Future<Counts> totals(Query query) {
    PinotSql sql =
        bind(PinotSql.of("SELECT COUNT(*), DISTINCTCOUNT(visitor)" + pageViews(query)), query);
    return rows(sql)
        .map(
            rows ->
                rows.isEmpty()
                    ? new Counts(0, 0)
                    : new Counts(rows.getJsonArray(0).getLong(0), rows.getJsonArray(0).getLong(1)));
  }

  @Override
  public Future<List<PageCounts>> topPages(Query query, int limit) {
    Query site = new Query(query.site(), query.from(), query.to(), null);
    PinotSql sql =
        bind(
                PinotSql.of(
                    "SELECT page, COUNT(*), DISTINCTCOUNT(visitor)"
                        + pageViews(site)
                        + " GROUP BY page ORDER BY COUNT(*) DESC, DISTINCTCOUNT(visitor) DESC, page LIMIT ?"),
                site)
            .number(limit);
    return rows(sql)
        .map(
            rows ->
                list(
                    rows, row -> new PageCounts(row.getString(0), row.getLong(1), row.getLong(2))));
  }

  @Override
  public Future<List<Ranked>> topReferrers(Query query, int limit) {
    PinotSql sql =
        bind(
                PinotSql.of(
                    "SELECT referrer, COUNT(*)"
                        + pageViews(query)
                        + " GROUP BY referrer ORDER BY COUNT(*) DESC, referrer LIMIT ?"),
                query)
            .number(limit);
    return rows(sql).map(rows -> list(rows, row -> new Ranked(row.getString(0), row.getLong(1))));
  }

  @Override
  public Future<List<Ranked>> topEvents(Query query, int limit) {
    PinotSql sql =
        PinotSql.of(
                "SELECT name, COUNT(*) FROM "
                    + table
                    + " WHERE site = ? AND name <> ? AND ts >= ? AND ts < ?"
                    + (query.page() == null ? "" : " AND page = ?")
                    + " GROUP BY name ORDER BY COUNT(*) DESC, name LIMIT ?")
            .string(query.site())
            .string(Collector.PAGEVIEW)
            .millis(query.from())
            .millis(query.to());
    if (query.page() != null) {
      sql.string(query.page());
    }
    sql.number(limit);
    return rows(sql).map(rows -> list(rows, row -> new Ranked(row.getString(0), row.getLong(1))));
  }

  /**
   * Every hit counts, page views and events alike (as the projection's latest-hit table); narrowed
   * to a page, a visitor counts when the page of their latest hit is that page.
   */
  @Override
  public Future<Long> visitorsSince(String site, String page, Instant since) {
    if (page == null) {
      PinotSql sql =
          PinotSql.of("SELECT DISTINCTCOUNT(visitor) FROM " + table + " WHERE site = ? AND ts >= ?")
              .string(site)
              .millis(since);
      return rows(sql).map(rows -> rows.isEmpty() ? 0L : rows.getJsonArray(0).getLong(0));
    }
    // the aggregate is selected too: a group-by without one is rewritten to DISTINCT, which refuses
    // HAVING
    PinotSql sql =
        PinotSql.of(
                "SELECT visitor, LASTWITHTIME(page, ts, 'STRING') FROM "
                    + table
                    + " WHERE site = ? AND ts >= ? GROUP BY visitor"
                    + " HAVING LASTWITHTIME(page, ts, 'STRING') = ? LIMIT ?")
            .string(site)
            .millis(since)
            .string(page)
            .number(MAX_GROUPS);
    return rows(sql).map(rows -> (long) rows.size());
  }

  @Override
  public Future<List<Site>> sites() {
    PinotSql sql =
        PinotSql.of(
                "SELECT site, MIN(ts), MAX(ts), SUM(CASE WHEN name = ? THEN 1 ELSE 0 END) FROM "
                    + table
                    + " GROUP BY site ORDER BY site LIMIT ?")
            .string(Collector.PAGEVIEW)
            .number(MAX_GROUPS);
    return rows(sql)
        .map(
            rows -> {
              List<Site> sites =
                  list(
                      rows,
                      row ->
                          new Site(
                              row.getString(0),
                              Instant.ofEpochMilli(number(row, 1)),
                              Instant.ofEpochMilli(number(row, 2)),
                              number(row, 3)));
              // in code-point order, as PostgresAnalytics sorts them
              sites.sort(Comparator.comparing(Site::site));
              return sites;
            });
  }

  /**
   * MIN, MAX and SUM answer doubles; epoch milliseconds and counts are exact in them (below 2^53).
   */
  private static long number(JsonArray row, int column) {
    return ((Number) row.getValue(column)).longValue();
  }

  /**
   * The rows of the statement's result, or {@link Analytics.Unavailable} saying why there are none.
   */
  private Future<JsonArray> rows(PinotSql statement) {
    String sql = statement.render();
    return client
        .postAbs(broker + "/query/sql")
        .timeout(TIMEOUT.toMillis())
        .sendJsonObject(new JsonObject().put("sql", sql))
        .recover(
            failure ->
                Future.failedFuture(
                    new Analytics.Unavailable(
                        "The Pinot broker at "
                            + broker
                            + " cannot be reached ("
                            + failure.getMessage()
                            + ")")))
        .compose(response -> result(response, sql));
  }

  private Future<JsonArray> result(HttpResponse<Buffer> response, String sql) {
    if (response.statusCode() != 200) {
      return unavailable("answered HTTP " + response.statusCode());
    }
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (DecodeException e) {
      body = null;
    }
    if (body == null) {
      return unavailable("answered something that is not JSON");
    }
    JsonArray exceptions = body.getJsonArray("exceptions", new JsonArray());
    if (!exceptions.isEmpty()) {
      JsonObject first = exceptions.getJsonObject(0);
      LOG.log(System.Logger.Level.WARNING, "Pinot refused " + sql + ": " + exceptions.encode());
      return unavailable(
          "answered error "
              + first.getValue("errorCode")
              + " "
              + firstLine(first.getString("message", "")));
    }
    int queried = body.getInteger("numServersQueried", 0);
    int responded = body.getInteger("numServersResponded", 0);
    if (responded < queried) {
      return unavailable("answered from " + responded + " of " + queried + " servers");
    }
    if (Boolean.TRUE.equals(body.getBoolean("numGroupsLimitReached"))) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Pinot reached its group limit, the answer may leave groups out: " + sql);
    }
    JsonObject table = body.getJsonObject("resultTable");
    return Future.succeededFuture(
        table == null ? new JsonArray() : table.getJsonArray("rows", new JsonArray()));
  }

  private <T> Future<T> unavailable(String what) {
    return Future.failedFuture(
        new Analytics.Unavailable("The Pinot broker at " + broker + " " + what));
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  private static <T> List<T> list(JsonArray rows, Function<JsonArray, T> map) {
    List<T> list = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      list.add(map.apply(rows.getJsonArray(i)));
    }
    return list;
  }
}
