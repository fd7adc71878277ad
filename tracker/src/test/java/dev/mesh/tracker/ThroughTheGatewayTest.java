package dev.mesh.tracker;

import static dev.mesh.tracker.TrackerUnderTest.BROWSER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Addresses;
import dev.mesh.common.Contract;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Gateway;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.testing.BridgeClient;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tracker as browsers reach it, through the gateway of another cluster member: the site owner's
 * snippet (pixel, script, beacon) on the gateway's port, the widget's API under /api/tracker, and
 * the live feed over the gateway's event-bus bridge, pushed after the hit.
 */
class ThroughTheGatewayTest {

  private static final Contract LIVE = Contract.load(TrackerContracts.LIVE);
  private static TrackerUnderTest tracker;
  private static MeshNode gateway;
  private static int port;
  private static WebClient browser;

  @BeforeAll
  static void start() {
    // as behind an ingress: the test's X-Forwarded-For plays the ingress's entry, the gateway
    // appends its own
    tracker =
        TrackerUnderTest.start(
            config -> config.with(Setting.TRACKER_PROXY_HOPS, 2), Tracker.verticles());
    gateway = tracker.member(Gateway.verticles());
    port = Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
    browser = WebClient.create(gateway.vertx());
    // the gateway learns where the tracker's endpoints are from discovery
    Poll.until(
        TrackerUnderTest.WAIT,
        "the gateway routes to the tracker",
        () -> get("/api/tracker/projections", null).statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    browser.close();
    tracker.close();
  }

  @Test
  void theSiteOwnersSnippetAndTheWidgetsApiWorkOnTheGatewaysPort() {
    String site = "gateway.example";
    String pixel = tracker.config().string(Setting.TRACKER_PIXEL_PATH);
    HttpResponse<Buffer> gif =
        get(pixel + "?s=" + site + "&p=/home&_=" + System.nanoTime(), "203.0.113.50");
    assertThat(gif.statusCode()).isEqualTo(200);
    assertThat(gif.getHeader("Content-Type")).isEqualTo("image/gif");
    assertThat(gif.getHeader("Cache-Control")).contains("no-store");
    assertThat(gif.body().length()).isEqualTo(43);
    // another browser behind another address: the gateway forwards each one's own
    assertThat(get(pixel + "?s=" + site + "&p=/home", "203.0.113.51").statusCode()).isEqualTo(200);

    HttpResponse<Buffer> script = get(tracker.config().string(Setting.TRACKER_SCRIPT_PATH), null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.bodyAsString()).contains("sendBeacon");

    HttpResponse<Buffer> beacon =
        TestCluster.await(
            browser
                .post(port, "127.0.0.1", tracker.config().string(Setting.TRACKER_BEACON_PATH))
                .putHeader("User-Agent", BROWSER)
                .putHeader("Content-Type", "text/plain;charset=UTF-8")
                .sendBuffer(
                    Buffer.buffer(
                        new JsonObject()
                            .put("site", site)
                            .put("name", "subscribe")
                            .put("url", "https://gateway.example/home")
                            .encode())));
    assertThat(beacon.statusCode()).isEqualTo(202);

    Poll.until(
        TrackerUnderTest.WAIT,
        "the hits counted",
        () -> {
          JsonObject summary =
              get("/api/tracker/sites/" + site + "/summary?range=1h", null).bodyAsJsonObject();
          return summary.getLong("views") == 2 && summary.getLong("visitors") == 2;
        });
    // the beacon's event may be projected in a later batch than the two views
    JsonArray events =
        Poll.until(
            TrackerUnderTest.WAIT,
            "the event counted",
            () ->
                get("/api/tracker/sites/" + site + "/events?range=1h", null)
                    .bodyAsJsonObject()
                    .getJsonArray("events"),
            e -> !e.isEmpty());
    assertThat(events).containsExactly(new JsonObject().put("name", "subscribe").put("count", 1));
    HttpResponse<Buffer> refused =
        get("/api/tracker/sites/" + site + "/summary?range=forever", null);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("message")).contains("range");
  }

  @Test
  void aHitIsPushedToTheLiveFeedOnTheBridge() {
    String site = "live.example";
    // a dashboard page's bridge connection
    BridgeClient page = BridgeClient.connect(gateway.vertx(), port);
    page.register(Addresses.TRACKER_LIVE);
    // a first hit makes sure the page is subscribed and every connection on the way is open
    Poll.until(
        TrackerUnderTest.WAIT,
        "the first live message",
        () -> {
          tracker.pixel("s=" + site + "&p=/warm-up", "192.0.2.60");
          return live(page, site) != null;
        });

    // measured on a site of its own: a site gets at most a message a second, and the warm-up used
    // this one
    String measured = "live-now.example";
    assertThat(
            get(
                    tracker.config().string(Setting.TRACKER_PIXEL_PATH)
                        + "?s="
                        + measured
                        + "&p=/live&r=https://www.news.example/story",
                    "192.0.2.61")
                .statusCode())
        .isEqualTo(200);
    JsonObject message =
        Poll.until(
            Duration.ofSeconds(10),
            "the hit of /live on the feed",
            () -> live(page, measured),
            m -> m != null);
    // how soon is a benchmark's question (timings never go in tests); here: it is pushed, not
    // polled

    assertThat(LIVE.problems(message)).isEmpty();
    assertThat(message.getLong("views")).isEqualTo(1);
    assertThat(message.getJsonObject("pages")).isEqualTo(new JsonObject().put("/live", 1));
    assertThat(message.getJsonObject("referrers"))
        .isEqualTo(new JsonObject().put("/live", new JsonObject().put("news.example", 1)));
    assertThat(message.getLong("visitorsNow")).isEqualTo(1);
    page.close();
  }

  /** The first message of the live feed about {@code site} the page received, or null. */
  private static JsonObject live(BridgeClient page, String site) {
    return page.bodies(Addresses.TRACKER_LIVE).stream()
        .filter(m -> site.equals(m.getString("site")))
        .findFirst()
        .orElse(null);
  }

  private static HttpResponse<Buffer> get(String path, String forwardedFor) {
    var request = browser.get(port, "127.0.0.1", path).putHeader("User-Agent", BROWSER);
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    return TestCluster.await(request.send());
  }
}
