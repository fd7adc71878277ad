package dev.mesh.tracker;

import static dev.mesh.tracker.TrackerUnderTest.BROWSER;
import static dev.mesh.tracker.TrackerUnderTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Contract;
import dev.mesh.common.Setting;
import dev.mesh.testing.Poll;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collector as site owners' pages and their visitors reach it: the pixel answers the same GIF
 * whatever it is sent, the beacon says 202 or what is wrong, and what is accepted lands in Kafka,
 * keyed by site, in the shape of the hit contract. Bots and DNT are counted, never stored.
 */
class CollectorTest {

  private static final Contract HIT = Contract.load(TrackerContracts.HIT);
  private static TrackerUnderTest tracker;

  @BeforeAll
  static void start() {
    tracker =
        TrackerUnderTest.start(
            config ->
                config
                    .with(Setting.TRACKER_SITES, "shop.example,blog.example,quiet.example")
                    .with(Setting.TRACKER_HONOUR_DNT, true)
                    .with(Setting.TRACKER_MAX_BEACON_BYTES, 2048),
            List.of(HitPublisherVerticle::new, CollectorVerticle::new));
  }

  @AfterAll
  static void stop() {
    tracker.close();
  }

  @Test
  void thePixelIsTheSameTransparentGifWhateverItIsSent() {
    Map<String, HttpResponse<Buffer>> answers = new java.util.LinkedHashMap<>();
    answers.put("a good hit", tracker.pixel("s=shop.example&p=/pricing&_=1712", "203.0.113.1"));
    answers.put("no parameters", tracker.pixel("", "203.0.113.1"));
    answers.put("an unknown site", tracker.pixel("s=elsewhere.example&p=/", "203.0.113.1"));
    answers.put("a site id that is not one", tracker.pixel("s=%3Cscript%3E&p=/", "203.0.113.1"));
    answers.put("broken escapes", tracker.pixel("s=shop.example&p=%zz%&r=%", "203.0.113.1"));
    answers.put(
        "a huge parameter", tracker.pixel("s=shop.example&p=/" + "x".repeat(3000), "203.0.113.1"));
    answers.put(
        "a page that is no URL",
        tracker.pixel("s=shop.example&p=javascript:alert(1)", "203.0.113.1"));
    answers.put(
        "a bot",
        tracker.pixel(
            "s=shop.example&p=/",
            headers("Googlebot/2.1 (+http://www.google.com/bot.html)", "66.249.66.1")));
    answers.put("no user agent", tracker.pixel("s=shop.example&p=/", headers(null, "203.0.113.2")));
    answers.put(
        "garbage headers",
        tracker.pixel(
            "s=shop.example",
            MultiMap.caseInsensitiveMultiMap()
                .add("User-Agent", BROWSER)
                .add("Referer", "::not a url::")
                .add("X-Forwarded-For", ",,,")
                .add("DNT", "yes please")));

    answers.forEach(
        (what, response) -> {
          assertThat(response.statusCode()).as(what).isEqualTo(200);
          assertThat(response.getHeader("Content-Type")).as(what).isEqualTo("image/gif");
          assertThat(response.getHeader("Cache-Control")).as(what).contains("no-store");
          assertThat(response.body().length()).as(what).isEqualTo(43);
          assertThat(response.body()).as(what).isEqualTo(CollectorVerticle.GIF);
        });
    assertThat(CollectorVerticle.GIF.getBytes(0, 6)).isEqualTo("GIF89a".getBytes());
  }

  @Test
  void acceptedHitsReachKafkaKeyedBySiteInTheShapeOfTheHitContract() {
    tracker.pixel(
        "s=shop.example&p=https://shop.example/plans?plan=pro%23top&r=https://www.news.example/story&sc=1920x1080&cb=98765",
        "198.51.100.7");
    tracker.pixel("s=BLOG.example&p=/post/1", "198.51.100.8");
    // the embedding page from the Referer header when the snippet names none
    tracker.pixel(
        "s=shop.example",
        MultiMap.caseInsensitiveMultiMap()
            .add("User-Agent", BROWSER)
            .add("Referer", "https://shop.example/cart?step=2")
            .add("X-Forwarded-For", "198.51.100.9"));
    HttpResponse<Buffer> event =
        tracker.beacon(
            new JsonObject()
                .put("site", "shop.example")
                .put("name", "signup")
                .put("url", "https://shop.example/plans")
                .put("referrer", "https://shop.example/")
                .put("props", new JsonObject().put("plan", "pro").put("seats", 5))
                .encode(),
            headers(BROWSER, "198.51.100.7"));
    assertThat(event.statusCode()).isEqualTo(202);

    List<ConsumerRecord<String, String>> records =
        Poll.until(
            TrackerUnderTest.WAIT,
            "the four hits in Kafka",
            () ->
                tracker.records().stream()
                    .filter(
                        r ->
                            List.of("/plans", "/post/1", "/cart")
                                .contains(new JsonObject(r.value()).getString("page")))
                    .toList(),
            found -> found.size() >= 4);
    for (ConsumerRecord<String, String> record : records) {
      JsonObject hit = new JsonObject(record.value());
      assertThat(HIT.problems(hit)).as(record.value()).isEmpty();
      assertThat(record.key()).as("the key is the site").isEqualTo(hit.getString("site"));
    }
    Map<String, JsonObject> byPage =
        records.stream()
            .map(r -> new JsonObject(r.value()))
            .filter(h -> !h.getString("name").equals("signup"))
            .collect(Collectors.toMap(h -> h.getString("page"), Function.identity(), (a, b) -> a));
    JsonObject pricing = byPage.get("/plans");
    assertThat(pricing.getString("site")).isEqualTo("shop.example");
    assertThat(pricing.getString("name")).isEqualTo("pageview");
    assertThat(pricing.getString("referrer"))
        .as("host only, without www.")
        .isEqualTo("news.example");
    assertThat(pricing.getString("screen")).isEqualTo("1920x1080");
    assertThat(pricing.getString("source")).isEqualTo("pixel");
    assertThat(byPage.get("/post/1").getString("site"))
        .as("site ids are lower-cased")
        .isEqualTo("blog.example");
    assertThat(byPage.get("/cart").getString("referrer")).isEmpty();
    JsonObject signup =
        records.stream()
            .map(r -> new JsonObject(r.value()))
            .filter(h -> h.getString("name").equals("signup"))
            .findFirst()
            .orElseThrow();
    assertThat(signup.getString("source")).isEqualTo("beacon");
    assertThat(signup.getString("referrer")).as("a move within the site has no referrer").isEmpty();
    assertThat(signup.getJsonObject("props"))
        .isEqualTo(new JsonObject().put("plan", "pro").put("seats", "5"));
    assertThat(signup.getString("visitor"))
        .as("same site, IP and user agent: the same visitor")
        .isEqualTo(pricing.getString("visitor"));
    assertThat(byPage.get("/cart").getString("visitor"))
        .as("another IP: another visitor")
        .isNotEqualTo(pricing.getString("visitor"));
    assertThat(records.stream().map(ConsumerRecord::value))
        .noneMatch(v -> v.contains("198.51.100") || v.contains("Mozilla"));
  }

  @Test
  void botsDoNotTrackAndBadInputAreCountedButNeverStored() {
    double bots = received("bot");
    double dnt = received("dnt");
    double unknown = received("unknown-site");
    double invalid = received("invalid");

    tracker.pixel(
        "s=quiet.example&p=/bot",
        headers(
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "40.77.167.1"));
    tracker.pixel(
        "s=quiet.example&p=/headless",
        headers(
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36", "203.0.113.5"));
    tracker.pixel("s=quiet.example&p=/curl", headers("curl/8.5.0", "203.0.113.5"));
    tracker.pixel("s=quiet.example&p=/dnt", headers(BROWSER, "203.0.113.6").add("DNT", "1"));
    tracker.beacon(
        new JsonObject().put("site", "quiet.example").put("url", "/dnt-beacon").encode(),
        headers(BROWSER, "203.0.113.6").add("DNT", "1"));
    tracker.pixel("s=unknown.example&p=/unknown", "203.0.113.7");
    tracker.pixel("s=quiet.example", "203.0.113.8");
    // a good hit after them: once it is in Kafka, anything sent before it would be too (one key,
    // one partition, in order)
    tracker.pixel("s=quiet.example&p=/marker", "203.0.113.9");

    List<String> pages =
        Poll.until(
            TrackerUnderTest.WAIT,
            "the marker hit in Kafka",
            () ->
                tracker.records().stream()
                    .map(r -> new JsonObject(r.value()))
                    .filter(
                        h ->
                            h.getString("site").equals("quiet.example")
                                || h.getString("site").equals("unknown.example"))
                    .map(h -> h.getString("page"))
                    .toList(),
            found -> found.contains("/marker"));
    assertThat(pages).containsExactly("/marker");
    assertThat(received("bot")).isEqualTo(bots + 3);
    assertThat(received("dnt")).isEqualTo(dnt + 2);
    assertThat(received("unknown-site")).isEqualTo(unknown + 1);
    assertThat(received("invalid")).as("a pixel without a page").isEqualTo(invalid + 1);
  }

  @Test
  void theBeaconAnswers202OrNamesTheProblem() {
    MultiMap browser = headers(BROWSER, "192.0.2.10");
    HttpResponse<Buffer> view =
        tracker.beacon(
            "{\"site\":\"shop.example\",\"url\":\"https://shop.example/\",\"screen\":\"390x844\"}",
            MultiMap.caseInsensitiveMultiMap()
                .addAll(browser)
                .add("Content-Type", "text/plain;charset=UTF-8"));
    assertThat(view.statusCode()).as("sendBeacon's text/plain body").isEqualTo(202);
    assertThat(view.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");

    HttpResponse<Buffer> bot =
        tracker.beacon(
            "{\"site\":\"shop.example\",\"url\":\"/\"}",
            headers("python-requests/2.31", "192.0.2.11"));
    assertThat(bot.statusCode())
        .as("a bot's beacon is accepted as any other, a header says it was dropped")
        .isEqualTo(202);
    assertThat(bot.getHeader(CollectorVerticle.DROPPED_HEADER)).isEqualTo("bot");

    assertProblem(tracker.beacon("{\"site\": \"shop.example\", ", browser), 400, "not valid JSON");
    assertProblem(tracker.beacon("[1, 2]", browser), 400, "JSON object");
    assertProblem(tracker.beacon("{\"url\":\"/\"}", browser), 400, "site");
    assertProblem(
        tracker.beacon(
            "{\"site\":\"shop.example\",\"url\":\"/\",\"name\":\"" + "n".repeat(101) + "\"}",
            browser),
        400,
        "/name");
    assertProblem(
        tracker.beacon("{\"site\":\"nowhere.example\",\"url\":\"/\"}", browser),
        400,
        "unknown site 'nowhere.example'");
    assertProblem(
        tracker.beacon("{\"site\":\"shop.example\",\"url\":\"ftp://shop.example/\"}", browser),
        400,
        "url");
    assertProblem(
        tracker.beacon(
            "{\"site\":\"shop.example\",\"url\":\"/\",\"pad\":\"" + "x".repeat(3000) + "\"}",
            browser),
        413,
        "limit of 2048 bytes");

    HttpResponse<Buffer> preflight =
        tracker.options(
            tracker.collectorPort(), tracker.config().string(Setting.TRACKER_BEACON_PATH));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).isEqualTo("POST");
  }

  @Test
  void theTrackingScriptIsServedWithItsBeaconPath() {
    HttpResponse<Buffer> script =
        tracker.get(tracker.collectorPort(), tracker.config().string(Setting.TRACKER_SCRIPT_PATH));
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("Content-Type")).startsWith("text/javascript");
    assertThat(script.getHeader("Cache-Control")).contains("max-age");
    String source = script.bodyAsString();
    assertThat(source)
        .contains("'" + tracker.config().string(Setting.TRACKER_BEACON_PATH) + "'")
        .contains("navigator.sendBeacon")
        .contains("data-site")
        .contains("screen.width")
        .doesNotContain("document.cookie")
        .doesNotContain("localStorage")
        .doesNotContain("__BEACON_PATH__");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String mentioned) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("message")).contains(mentioned);
  }

  private static double received(String outcome) {
    return tracker.counter(TrackerMetrics.RECEIVED, "outcome", outcome);
  }

  @Test
  void theClientIsTheEntryOurOutermostProxyWroteNotOneTheClientForged() {
    // the gateway (one hop) appended the browser's address after whatever the browser claimed
    assertThat(CollectorVerticle.clientAddress("10.0.0.1, 203.0.113.7", 1, "127.0.0.1"))
        .isEqualTo("203.0.113.7");
    // an ingress before the gateway: its entry is the second from the end
    assertThat(CollectorVerticle.clientAddress("10.0.0.1, 203.0.113.7, 10.1.2.3", 2, "127.0.0.1"))
        .isEqualTo("203.0.113.7");
    assertThat(CollectorVerticle.clientAddress("203.0.113.7", 2, "127.0.0.1"))
        .as("fewer entries than hops")
        .isEqualTo("203.0.113.7");
    assertThat(CollectorVerticle.clientAddress(" , ,", 1, "127.0.0.1"))
        .as("nothing usable")
        .isEqualTo("127.0.0.1");
    assertThat(CollectorVerticle.clientAddress(null, 1, "127.0.0.1")).isEqualTo("127.0.0.1");
  }
}
