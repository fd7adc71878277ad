package dev.mesh.tracker;

import static dev.mesh.tracker.TrackerUnderTest.BROWSER;
import static dev.mesh.tracker.TrackerUnderTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Setting;
import dev.mesh.testing.TestCluster;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query API answers the widget's questions (a series, headline numbers against the previous
 * period, top pages, referrers and events, visitors now, narrowed to a page or not) in the shape
 * its OpenAPI file promises, and refuses bad ranges, buckets and sites naming the parameter.
 *
 * <p>Hits are collected at set times of a fixed day (the collector and the API share a clock):
 * 10:30 two views of /a by Ann and Bob; 11:40 /a by Ann, /b by Bob and Cid (from news.example), a
 * signup by Cid; 12:00:30 /c by Dan, which is also "now".
 */
class QueryApiTest {

  private static final Instant NOON =
      LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
  private static final MutableClock CLOCK = new MutableClock(NOON.minus(Duration.ofMinutes(90)));
  private static final String SITE = "query.example";
  private static final String ANN = "192.0.2.1";
  private static final String BOB = "192.0.2.2";
  private static final String CID = "192.0.2.3";
  private static final String DAN = "192.0.2.4";
  private static TrackerUnderTest tracker;
  private static ResponseValidator responses;

  @BeforeAll
  static void start() {
    // a pixel path of its own, which the collector's paths in the API must follow
    tracker =
        TrackerUnderTest.start(
            config -> config.with(Setting.TRACKER_PIXEL_PATH, "/q/p.gif"),
            List.of(HitPublisherVerticle::new));
    tracker.deploy(new CollectorVerticle(CLOCK), tracker.config());
    tracker.deploy(new ProjectionVerticle(), tracker.config());
    tracker.deploy(new TrackerQueryVerticle(CLOCK), tracker.config());

    view("/a", ANN, "");
    view("/a", BOB, "");
    CLOCK.set(NOON.minus(Duration.ofMinutes(20)));
    view("/a", ANN, "");
    view("/b", BOB, "&r=https%3A%2F%2Fnews.example%2Fa");
    view("/b", CID, "&r=https%3A%2F%2Fnews.example%2Fb");
    assertThat(
            tracker
                .beacon(
                    new JsonObject()
                        .put("site", SITE)
                        .put("name", "signup")
                        .put("url", "https://query.example/b")
                        .encode(),
                    headers(BROWSER, CID))
                .statusCode())
        .isEqualTo(202);
    CLOCK.set(NOON.plusSeconds(30));
    view("/c", DAN, "");
    tracker.awaitRecords(7);
    tracker.awaitCaughtUp();

    OpenAPIContract contract =
        TestCluster.await(
            OpenAPIContract.from(tracker.node().vertx(), TrackerQueryVerticle.CONTRACT));
    responses = ResponseValidator.create(tracker.node().vertx(), contract);
  }

  @AfterAll
  static void stop() {
    tracker.close();
  }

  private static void view(String page, String ip, String more) {
    assertThat(tracker.pixel("s=" + SITE + "&p=" + page + more, ip).statusCode()).isEqualTo(200);
  }

  @Test
  void headlineNumbersComeWithThePreviousPeriod() {
    JsonObject summary = answer("summary", "/api/tracker/sites/" + SITE + "/summary?range=1h");
    assertThat(summary.getString("from")).isEqualTo(NOON.minus(Duration.ofHours(1)).toString());
    assertThat(summary.getString("to"))
        .as("the current minute included")
        .isEqualTo(NOON.plusSeconds(60).toString());
    assertThat(summary.getLong("views")).isEqualTo(4);
    assertThat(summary.getLong("visitors")).isEqualTo(4);
    JsonObject previous = summary.getJsonObject("previous");
    assertThat(previous.getString("to")).isEqualTo(summary.getString("from"));
    assertThat(previous.getLong("views")).isEqualTo(2);
    assertThat(previous.getLong("visitors")).isEqualTo(2);
    assertThat(summary.getJsonObject("change"))
        .isEqualTo(new JsonObject().put("views", 1.0).put("visitors", 1.0));

    JsonObject pageA =
        answer("summary", "/api/tracker/sites/" + SITE + "/summary?range=1h&page=/a");
    assertThat(pageA.getString("page")).isEqualTo("/a");
    assertThat(pageA.getLong("views")).isEqualTo(1);
    assertThat(pageA.getJsonObject("previous").getLong("views")).isEqualTo(2);
    assertThat(pageA.getJsonObject("change").getDouble("views")).isEqualTo(-0.5);

    JsonObject quiet = answer("summary", "/api/tracker/sites/nobody.example/summary?range=24h");
    assertThat(quiet.getLong("views")).isZero();
    assertThat(quiet.getJsonObject("change").getValue("views"))
        .as("nothing to compare with")
        .isNull();
  }

  @Test
  void aSeriesHasEveryBucketOfTheRangeAndNarrowsToAPage() {
    JsonObject series =
        answer("timeseries", "/api/tracker/sites/" + SITE + "/timeseries?range=6h&bucket=hour");
    assertThat(series.getString("bucket")).isEqualTo("hour");
    Map<String, String> points = byTime(series.getJsonArray("points"));
    assertThat(points)
        .hasSize(7)
        .containsEntry(NOON.minus(Duration.ofHours(2)).toString(), "2/2")
        .containsEntry(NOON.minus(Duration.ofHours(1)).toString(), "3/3")
        .containsEntry(NOON.toString(), "1/1")
        .containsEntry(NOON.minus(Duration.ofHours(6)).toString(), "0/0");

    JsonObject pageB =
        answer(
            "timeseries",
            "/api/tracker/sites/" + SITE + "/timeseries?range=6h&bucket=hour&page=/b");
    assertThat(byTime(pageB.getJsonArray("points")))
        .containsEntry(NOON.minus(Duration.ofHours(1)).toString(), "2/2")
        .containsEntry(NOON.minus(Duration.ofHours(2)).toString(), "0/0");

    JsonObject minutes =
        answer(
            "timeseries",
            "/api/tracker/sites/"
                + SITE
                + "/timeseries?from="
                + NOON.minus(Duration.ofMinutes(30))
                + "&to="
                + NOON);
    assertThat(minutes.getString("bucket"))
        .as("the default bucket of a short range")
        .isEqualTo("minute");
    assertThat(minutes.getJsonArray("points")).hasSize(30);
    assertThat(byTime(minutes.getJsonArray("points")))
        .containsEntry(NOON.minus(Duration.ofMinutes(20)).toString(), "3/3");
  }

  @Test
  void topPagesReferrersAndEvents() {
    JsonArray pages =
        answer("topPages", "/api/tracker/sites/" + SITE + "/pages?range=6h").getJsonArray("pages");
    assertThat(
            pages.stream()
                .map(JsonObject.class::cast)
                .map(
                    p ->
                        p.getString("page")
                            + " "
                            + p.getLong("views")
                            + "/"
                            + p.getLong("visitors")))
        .containsExactly("/a 3/2", "/b 2/2", "/c 1/1");
    assertThat(
            answer("topPages", "/api/tracker/sites/" + SITE + "/pages?range=6h&limit=1")
                .getJsonArray("pages"))
        .hasSize(1);

    JsonArray referrers =
        answer("topReferrers", "/api/tracker/sites/" + SITE + "/referrers?range=6h")
            .getJsonArray("referrers");
    assertThat(
            referrers.stream()
                .map(JsonObject.class::cast)
                .map(r -> r.getString("referrer") + "=" + r.getLong("views")))
        .containsExactly("=4", "news.example=2");
    JsonArray referrersOfB =
        answer("topReferrers", "/api/tracker/sites/" + SITE + "/referrers?range=6h&page=/b")
            .getJsonArray("referrers");
    assertThat(referrersOfB.stream().map(JsonObject.class::cast).map(r -> r.getString("referrer")))
        .containsExactly("news.example");

    JsonArray events =
        answer("topEvents", "/api/tracker/sites/" + SITE + "/events?range=6h")
            .getJsonArray("events");
    assertThat(events).containsExactly(new JsonObject().put("name", "signup").put("count", 1));
  }

  @Test
  void visitorsNowAreThoseOfTheLastFiveMinutes() {
    JsonObject now = answer("visitorsNow", "/api/tracker/sites/" + SITE + "/now");
    assertThat(now.getLong("visitors")).as("only Dan, at 12:00:30").isEqualTo(1);
    assertThat(now.getString("since"))
        .isEqualTo(NOON.plusSeconds(30).minus(Duration.ofMinutes(5)).toString());
    assertThat(
            answer("visitorsNow", "/api/tracker/sites/" + SITE + "/now?page=/c")
                .getLong("visitors"))
        .isEqualTo(1);
    assertThat(
            answer("visitorsNow", "/api/tracker/sites/" + SITE + "/now?page=/a")
                .getLong("visitors"))
        .isZero();

    JsonArray sites = answer("listSites", "/api/tracker/sites").getJsonArray("sites");
    assertThat(
            sites.stream()
                .map(JsonObject.class::cast)
                .filter(s -> s.getString("site").equals(SITE))
                .findFirst()
                .orElseThrow()
                .getLong("views"))
        .isEqualTo(6);
  }

  @Test
  void badQuestionsAre400sNamingTheParameter() {
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("/api/tracker/sites/Bad_Site!/summary", "site");
    refused.put("/api/tracker/sites/" + SITE + "/summary?range=2w", "range");
    refused.put(
        "/api/tracker/sites/" + SITE + "/summary?range=1h&from=2026-01-01T00:00:00Z", "'range'");
    refused.put("/api/tracker/sites/" + SITE + "/summary?from=yesterday", "'from'");
    refused.put(
        "/api/tracker/sites/" + SITE + "/summary?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
        "'to'");
    refused.put("/api/tracker/sites/" + SITE + "/summary?to=2026-01-01T00:00:00Z", "'to'");
    refused.put(
        "/api/tracker/sites/" + SITE + "/summary?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        "'from'");
    refused.put("/api/tracker/sites/" + SITE + "/summary?page=pricing", "page");
    refused.put("/api/tracker/sites/" + SITE + "/timeseries?range=30d&bucket=minute", "'bucket'");
    refused.put("/api/tracker/sites/" + SITE + "/timeseries?bucket=week", "bucket");
    refused.put("/api/tracker/sites/" + SITE + "/pages?limit=0", "limit");
    refused.put("/api/tracker/sites/" + SITE + "/pages?limit=ten", "limit");
    refused.forEach(
        (path, parameter) -> {
          HttpResponse<Buffer> response = tracker.get(tracker.queryPort(), path);
          assertThat(response.statusCode()).as(path).isEqualTo(400);
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.getInteger("status")).isEqualTo(400);
          assertThat(body.getString("message")).as(path).contains(parameter);
        });
    HttpResponse<Buffer> unknown = tracker.get(tracker.queryPort(), "/api/tracker/nothing-here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("message"))
        .contains("/api/tracker/nothing-here");
  }

  @Test
  void theCollectorsPathsAreThoseConfigured() {
    JsonObject collector = answer("collector", "/api/tracker/collector");
    assertThat(collector.getString("pixel")).isEqualTo("/q/p.gif");
    assertThat(collector)
        .isEqualTo(
            new JsonObject()
                .put("pixel", tracker.config().string(Setting.TRACKER_PIXEL_PATH))
                .put("script", tracker.config().string(Setting.TRACKER_SCRIPT_PATH))
                .put("beacon", tracker.config().string(Setting.TRACKER_BEACON_PATH)));
  }

  @Test
  void theOpenApiFileIsServed() {
    HttpResponse<Buffer> yaml = tracker.get(tracker.queryPort(), "/api/tracker/openapi.yaml");
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.bodyAsString())
        .startsWith("openapi: 3.1.0")
        .contains("operationId: timeseries");
  }

  /** A 200 answer, checked against the operation's response schema in tracker.yaml. */
  private static JsonObject answer(String operation, String path) {
    HttpResponse<Buffer> response = tracker.get(tracker.queryPort(), path);
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    TestCluster.await(
        responses.validate(
            ValidatableResponse.create(200, response.body(), "application/json"), operation));
    return response.bodyAsJsonObject();
  }

  private static Map<String, String> byTime(JsonArray points) {
    Map<String, String> byTime = new java.util.LinkedHashMap<>();
    points.stream()
        .map(JsonObject.class::cast)
        .forEach(
            p -> byTime.put(p.getString("t"), p.getLong("views") + "/" + p.getLong("visitors")));
    return byTime;
  }
}
