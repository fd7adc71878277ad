package dev.mesh.tracker;

import dev.mesh.common.HttpErrors;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /api/tracker/...}: each request is checked against {@code openapi/tracker.yaml}, then
 * against the rules a schema cannot say (a range that ends after it starts, a bucket that gives a
 * readable number of points), then answered from {@link Analytics}. The JSON is made here, never by
 * a backend.
 */
final class QueryApi {

  static final Duration NOW_WINDOW = Duration.ofMinutes(5);
  private static final int DEFAULT_LIMIT = 10;
  private static final String RETRY_AFTER_SECONDS = "5";

  private final Analytics analytics;
  private final RequestValidator validator;
  private final ProjectionStatus status;
  private final Clock clock;
  private final JsonObject collector;

  /**
   * {@code collector}: the paths of the pixel, script and beacon, for the snippet a widget shows.
   */
  QueryApi(
      Analytics analytics,
      RequestValidator validator,
      ProjectionStatus status,
      Clock clock,
      JsonObject collector) {
    this.analytics = analytics;
    this.validator = validator;
    this.status = status;
    this.clock = clock;
    this.collector = collector.copy();
  }

  void mount(Router router) {
    route(router, "/api/tracker/sites", "listSites", ctx -> sites());
    route(router, "/api/tracker/sites/:site/timeseries", "timeseries", this::timeseries);
    route(router, "/api/tracker/sites/:site/summary", "summary", this::summary);
    route(router, "/api/tracker/sites/:site/pages", "topPages", this::pages);
    route(router, "/api/tracker/sites/:site/referrers", "topReferrers", this::referrers);
    route(router, "/api/tracker/sites/:site/events", "topEvents", this::events);
    route(router, "/api/tracker/sites/:site/now", "visitorsNow", this::now);
    route(router, "/api/tracker/projections", "projections", ctx -> status.describe());
    route(
        router,
        "/api/tracker/collector",
        "collector",
        ctx -> Future.succeededFuture(collector.copy()));
  }

  private void route(
      Router router,
      String path,
      String operation,
      Function<RoutingContext, Future<JsonObject>> answer) {
    router
        .get(path)
        .handler(
            ctx ->
                validator
                    .validate(ctx.request(), operation)
                    .compose(valid -> answer.apply(ctx))
                    .onSuccess(
                        body ->
                            ctx.response()
                                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                                .end(body.encode()))
                    .onFailure(
                        failure -> {
                          if (failure instanceof ValidatorException
                              || failure instanceof QueryWindow.BadParameter) {
                            HttpErrors.send(ctx, 400, failure.getMessage());
                          } else if (failure instanceof Analytics.Unavailable) {
                            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
                            HttpErrors.send(
                                ctx,
                                503,
                                "Analytics are not available right now: "
                                    + failure.getMessage()
                                    + "; try again in a moment");
                          } else {
                            ctx.fail(failure);
                          }
                        }));
  }

  private record Asked(String site, QueryWindow window, String page, MultiMap params) {
    Analytics.Query query() {
      return new Analytics.Query(site, window.from(), window.to(), page);
    }

    JsonObject json() {
      return new JsonObject()
          .put("site", site)
          .put("page", page)
          .put("from", window.from().toString())
          .put("to", window.to().toString());
    }

    int limit() {
      String limit = params.get("limit");
      return limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit);
    }
  }

  private Asked asked(RoutingContext ctx) {
    MultiMap params = ctx.queryParams();
    return new Asked(
        ctx.pathParam("site"), QueryWindow.of(params, clock.instant()), params.get("page"), params);
  }

  private Future<JsonObject> timeseries(RoutingContext ctx) {
    Asked asked = asked(ctx);
    Analytics.Bucket bucket = asked.window().bucket(asked.params().get("bucket"));
    return analytics
        .series(asked.query(), bucket)
        .map(
            found -> {
              Map<Instant, Analytics.Point> byStart = new HashMap<>();
              found.forEach(point -> byStart.put(point.start(), point));
              JsonArray points = new JsonArray();
              Instant last = asked.window().to();
              for (Instant t = QueryWindow.bucketStart(asked.window().from(), bucket);
                  t.isBefore(last);
                  t = t.plusSeconds(bucket.seconds)) {
                Analytics.Point point = byStart.get(t);
                points.add(
                    new JsonObject()
                        .put("t", t.toString())
                        .put("views", point == null ? 0 : point.views())
                        .put("visitors", point == null ? 0 : point.visitors()));
              }
              return asked.json().put("bucket", bucket.sql()).put("points", points);
            });
  }

  private Future<JsonObject> summary(RoutingContext ctx) {
    Asked asked = asked(ctx);
    QueryWindow before = asked.window().previous();
    Analytics.Query previousQuery =
        new Analytics.Query(asked.site(), before.from(), before.to(), asked.page());
    return Future.all(analytics.totals(asked.query()), analytics.totals(previousQuery))
        .map(
            both -> {
              Analytics.Counts current = both.resultAt(0);
              Analytics.Counts previous = both.resultAt(1);
              return asked
                  .json()
                  .put("views", current.views())
                  .put("visitors", current.visitors())
                  .put(
                      "previous",
                      new JsonObject()
                          .put("from", before.from().toString())
                          .put("to", before.to().toString())
                          .put("views", previous.views())
                          .put("visitors", previous.visitors()))
                  .put(
                      "change",
                      new JsonObject()
                          .put("views", change(current.views(), previous.views()))
                          .put("visitors", change(current.visitors(), previous.visitors())));
            });
  }

  /** (current - previous) / previous, to four places; null when there was nothing before. */
  private static Double change(long current, long previous) {
    return previous == 0 ? null : Math.round((current - previous) * 10_000.0 / previous) / 10_000.0;
  }

  private Future<JsonObject> pages(RoutingContext ctx) {
    Asked asked = asked(ctx);
    return analytics
        .topPages(asked.query(), asked.limit())
        .map(
            found ->
                asked
                    .json()
                    .putNull("page")
                    .put(
                        "pages",
                        array(
                            found,
                            p ->
                                new JsonObject()
                                    .put("page", p.page())
                                    .put("views", p.views())
                                    .put("visitors", p.visitors()))));
  }

  private Future<JsonObject> referrers(RoutingContext ctx) {
    Asked asked = asked(ctx);
    return analytics
        .topReferrers(asked.query(), asked.limit())
        .map(
            found ->
                asked
                    .json()
                    .put(
                        "referrers",
                        array(
                            found,
                            r ->
                                new JsonObject()
                                    .put("referrer", r.key())
                                    .put("views", r.count()))));
  }

  private Future<JsonObject> events(RoutingContext ctx) {
    Asked asked = asked(ctx);
    return analytics
        .topEvents(asked.query(), asked.limit())
        .map(
            found ->
                asked
                    .json()
                    .put(
                        "events",
                        array(
                            found,
                            e -> new JsonObject().put("name", e.key()).put("count", e.count()))));
  }

  private Future<JsonObject> now(RoutingContext ctx) {
    String site = ctx.pathParam("site");
    String page = ctx.queryParams().get("page");
    Instant at = clock.instant();
    Instant since = at.minus(NOW_WINDOW);
    return analytics
        .visitorsSince(site, page, since)
        .map(
            visitors ->
                new JsonObject()
                    .put("site", site)
                    .put("page", page)
                    .put("visitors", visitors)
                    .put("since", since.toString())
                    .put("at", at.toString()));
  }

  private Future<JsonObject> sites() {
    return analytics
        .sites()
        .map(
            found ->
                new JsonObject()
                    .put(
                        "sites",
                        array(
                            found,
                            s ->
                                new JsonObject()
                                    .put("site", s.site())
                                    .put("firstSeen", s.firstSeen().toString())
                                    .put("lastSeen", s.lastSeen().toString())
                                    .put("views", s.views()))));
  }

  private static <T> JsonArray array(List<T> rows, Function<T, JsonObject> json) {
    JsonArray array = new JsonArray();
    rows.forEach(row -> array.add(json.apply(row)));
    return array;
  }
}
