package dev.mesh.tracker;

import static dev.mesh.tracker.TrackerUnderTest.BROWSER;
import static dev.mesh.tracker.TrackerUnderTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.testing.Closeables;
import dev.mesh.testing.Poll;
import dev.mesh.testing.Ports;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The query API answers the same JSON from Apache Pinot as from the PostgreSQL projections, for the
 * same hits: a real Pinot 0.11 (child JVMs, {@link PinotCluster}) set up by {@code TrackerMain
 * pinot-setup} and consuming the real Kafka topic the collector writes to, beside the projections
 * in a real PostgreSQL. Two query verticles, one per backend, on one clock. Also: the set-up is
 * idempotent, and a Pinot that refuses, hangs or is gone is a 503 with a message.
 *
 * <p>Runs only in the tracker's {@code pinot} profile (failsafe): {@code mvn -B verify -Ppinot -pl
 * tracker -am}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PinotBackendIT {

  private static final Instant NOON =
      LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
  private static final MutableClock CLOCK = new MutableClock(NOON.minus(Duration.ofHours(10)));
  private static final String SITE = "pinot.example";
  private static final String OTHER = "other.example";

  /**
   * A page whose path would break a query built by concatenation: quotes, a backslash, non-ASCII.
   * (The API's request validator refuses a page parameter ending in a lone backslash, on both
   * backends.)
   */
  private static final String HOSTILE = "/o'brien' OR '1'='1/ü/😀/\\/x";

  private static final String TABLE = "hits_it";
  private static final Duration WAIT = Duration.ofMinutes(2);

  /** HTTP/1.1: Pinot's Grizzly servers answer the JDK client's h2c upgrade with an error page. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static PinotCluster pinot;
  private static TrackerUnderTest tracker;
  private static int postgresPort;
  private static int pinotPort;
  private static SetupRun firstSetup;
  private static int hits;

  private record SetupRun(int exit, String output) {}

  @BeforeAll
  static void start() {
    pinot = PinotCluster.launch(Path.of("target", "pinot-it"));
    Runtime.getRuntime().addShutdownHook(new Thread(pinot::close, "pinot-stop"));
    tracker =
        TrackerUnderTest.start(
            config ->
                config
                    .with(Setting.TRACKER_TOPIC_PARTITIONS, 2)
                    .with(Setting.PINOT_CONTROLLER_URL, pinot.controllerUrl())
                    .with(Setting.PINOT_BROKER_URL, pinot.brokerUrl())
                    .with(Setting.PINOT_TABLE, TABLE),
            List.of(HitPublisherVerticle::new));
    tracker.deploy(new CollectorVerticle(CLOCK), tracker.config());
    tracker.deploy(new ProjectionVerticle(), tracker.config());
    postgresPort = queryApi(tracker.config().with(Setting.TRACKER_QUERY_BACKEND, "postgres"));
    pinotPort = queryApi(tracker.config().with(Setting.TRACKER_QUERY_BACKEND, "pinot"));

    pinot.awaitUp(Duration.ofMinutes(4));
    firstSetup = setup();
    assertThat(firstSetup.exit()).as(firstSetup.output()).isZero();

    collect();
    tracker.awaitCaughtUp();
    hits = tracker.records().size();
    Poll.until(WAIT, "Pinot has all " + hits + " hits", () -> pinotCount() == hits);
  }

  @AfterAll
  static void stop() {
    Closeables.closeAll(tracker, pinot);
  }

  /** A query API on a port of its own (the endpoint records of the two share name and member). */
  private static int queryApi(MeshConfig config) {
    int port = Ports.free();
    tracker.deploy(new TrackerQueryVerticle(CLOCK), config.with(Setting.TRACKER_QUERY_PORT, port));
    return port;
  }

  /**
   * Early this morning, late this morning, before noon and now, on two sites: page views with and
   * without sources (a campaign source with quotes included), custom events, a hostile page, a
   * visitor seen twice.
   */
  private static void collect() {
    CLOCK.set(NOON.minus(Duration.ofHours(10)));
    view(SITE, "/", "192.0.2.1", "");
    view(SITE, "/pricing", "192.0.2.2", "&r=https%3A%2F%2Fnews.example%2Fx");
    CLOCK.set(NOON.minus(Duration.ofMinutes(90)));
    view(SITE, "/pricing", "192.0.2.1", "");
    view(SITE, "/pricing", "192.0.2.2", "&r=https%3A%2F%2Fwww.search.example%2F%3Fq%3Dmesh");
    view(SITE, "/pricing", "192.0.2.3", "&r=https%3A%2F%2Fnews.example%2Fy");
    view(SITE, "/", "192.0.2.4", "&p=" + encode("/?utm_source=it's \"q\" \\ ü"));
    event(SITE, "signup", "https://pinot.example/pricing", "192.0.2.3");
    CLOCK.set(NOON.minus(Duration.ofMinutes(20)).plusMillis(123));
    event(SITE, "pageview", "https://pinot.example" + HOSTILE, "192.0.2.1");
    view(SITE, "/", "192.0.2.5", "");
    event(SITE, "download", "https://pinot.example/", "192.0.2.5");
    event(SITE, "download", "https://pinot.example/", "192.0.2.5");
    event(SITE, "it's \\ \"odd\"", "https://pinot.example" + HOSTILE, "192.0.2.5");
    CLOCK.set(NOON.plusSeconds(30).plusMillis(7));
    view(SITE, "/pricing", "192.0.2.4", "");
    view(SITE, "/", "192.0.2.6", "");
    CLOCK.advance(Duration.ofSeconds(1));
    event(SITE, "download", "https://pinot.example/pricing", "192.0.2.6");
    view(OTHER, "/", "192.0.2.1", "");
  }

  private static void view(String site, String page, String ip, String more) {
    String query = "s=" + site + (more.contains("&p=") ? "" : "&p=" + encode(page)) + more;
    assertThat(tracker.pixel(query, ip).statusCode()).isEqualTo(200);
  }

  private static void event(String site, String name, String url, String ip) {
    String body = new JsonObject().put("site", site).put("name", name).put("url", url).encode();
    assertThat(tracker.beacon(body, headers(BROWSER, ip)).statusCode()).isEqualTo(202);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  @Order(1)
  void everyQueryOfTheWidgetAnswersTheSameFromPinotAsFromPostgres() {
    String site = "/api/tracker/sites/" + SITE;
    String hostile = "page=" + encode(HOSTILE);
    List<String> paths =
        new ArrayList<>(
            List.of(
                "/api/tracker/sites",
                site + "/summary?range=24h",
                site + "/summary?range=1h",
                site + "/summary?range=7d",
                site + "/summary?range=24h&page=/pricing",
                site + "/summary?range=24h&" + hostile,
                site + "/timeseries?range=6h",
                site + "/timeseries?range=24h",
                site + "/timeseries?range=7d",
                site + "/timeseries?range=30d&bucket=day",
                site + "/timeseries?range=24h&bucket=minute&page=/pricing",
                site + "/timeseries?range=24h&bucket=hour&" + hostile,
                site + "/pages?range=24h",
                site + "/pages?range=7d&limit=2",
                site + "/pages?range=30m",
                site + "/referrers?range=7d",
                site + "/referrers?range=24h&page=/pricing",
                site + "/referrers?range=24h&page=/&limit=100",
                site + "/events?range=24h",
                site + "/events?range=24h&page=/",
                site + "/events?range=24h&" + hostile,
                site + "/now",
                site + "/now?page=/pricing",
                site + "/now?page=/",
                site + "/now?" + hostile,
                "/api/tracker/sites/" + OTHER + "/summary?range=24h",
                "/api/tracker/sites/nobody.example/summary?range=24h",
                "/api/tracker/sites/nobody.example/pages?range=24h",
                "/api/tracker/sites/nobody.example/now"));
    for (String path : paths) {
      JsonObject fromPostgres = answer(postgresPort, path);
      JsonObject fromPinot = answer(pinotPort, path);
      assertThat(fromPinot).as(path).isEqualTo(fromPostgres);
    }

    // and the answers are about the hits, not equally empty
    JsonObject day = answer(pinotPort, site + "/summary?range=24h");
    assertThat(day.getLong("views")).isEqualTo(10);
    assertThat(day.getLong("visitors")).isEqualTo(6);
    assertThat(answer(pinotPort, site + "/summary?range=24h&" + hostile).getLong("views"))
        .isEqualTo(1);
    assertThat(
            answer(pinotPort, site + "/referrers?range=7d").getJsonArray("referrers").stream()
                .map(r -> ((JsonObject) r).getString("referrer")))
        .contains("news.example", "search.example", "it's \"q\" \\ ü", "");
    assertThat(
            answer(pinotPort, site + "/events?range=24h").getJsonArray("events").getJsonObject(0))
        .isEqualTo(new JsonObject().put("name", "download").put("count", 3));
    assertThat(answer(pinotPort, site + "/now").getLong("visitors")).isEqualTo(2);
    assertThat(answer(pinotPort, site + "/now?page=/pricing").getLong("visitors"))
        .as("the latest hit of both is on /pricing")
        .isEqualTo(2);
  }

  @Test
  @Order(2)
  void theSetUpRunTwiceFindsWhatItMadeAndChangesNothing() {
    assertThat(firstSetup.output())
        .contains("created schema " + TABLE)
        .contains("created real-time table " + TABLE);
    String tableBefore = controller("/tables/" + TABLE + "?type=realtime");
    SetupRun again = setup();
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output())
        .contains("schema " + TABLE + " is already there, as the tracker's")
        .contains("table " + TABLE + " is already there, as the tracker's")
        .doesNotContain("created")
        .doesNotContain("WARNING");
    assertThat(controller("/tables/" + TABLE + "?type=realtime")).isEqualTo(tableBefore);
    assertThat(pinotCount()).isEqualTo(hits);
  }

  @Test
  @Order(3)
  void aTableThatDiffersIsReportedAndLeftAlone() {
    SetupRun otherTopic = setup(Map.of("MESH_TRACKER_TOPIC", "another.topic"));
    assertThat(otherTopic.exit()).as(otherTopic.output()).isZero();
    assertThat(otherTopic.output())
        .contains("WARNING: table " + TABLE)
        .contains("stream.kafka.topic.name: expected another.topic, found " + tracker.topic());
    assertThat(controller("/tables/" + TABLE + "?type=realtime"))
        .contains(tracker.topic())
        .doesNotContain("another.topic");
  }

  @Test
  @Order(4)
  void aPinotThatRefusesOrHangsIsA503WithAMessage() throws IOException {
    int missingTable =
        queryApi(
            tracker
                .config()
                .with(Setting.TRACKER_QUERY_BACKEND, "pinot")
                .with(Setting.PINOT_TABLE, "no_such_table"));
    assertUnavailable(missingTable, "error 190");

    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "silent-broker");
      acceptor.start();
      int hanging =
          queryApi(
              tracker
                  .config()
                  .with(Setting.TRACKER_QUERY_BACKEND, "pinot")
                  .with(Setting.PINOT_BROKER_URL, "http://127.0.0.1:" + silent.getLocalPort()));
      assertUnavailable(hanging, "cannot be reached");
    }
  }

  @Test
  @Order(5)
  void aStoppedBrokerIsA503WithAMessage() {
    pinot.stopPinot();
    assertUnavailable(pinotPort, "cannot be reached");
    assertThat(
            answer(postgresPort, "/api/tracker/sites/" + SITE + "/summary?range=24h")
                .getLong("views"))
        .as("the PostgreSQL backend does not depend on Pinot")
        .isEqualTo(10);
  }

  private static void assertUnavailable(int port, String because) {
    HttpResponse<Buffer> response =
        tracker.get(port, "/api/tracker/sites/" + SITE + "/summary?range=24h");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isNotNull();
    assertThat(response.bodyAsJsonObject().getString("message"))
        .contains("Pinot broker")
        .contains(because);
  }

  private static JsonObject answer(int port, String path) {
    HttpResponse<Buffer> response = tracker.get(port, path);
    assertThat(response.statusCode())
        .as(path + " on " + port + ": " + response.bodyAsString())
        .isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static SetupRun setup() {
    return setup(Map.of());
  }

  /**
   * {@code TrackerMain pinot-setup} in a JVM of its own, configured by environment variables as a
   * Job is.
   */
  private static SetupRun setup(Map<String, String> overrides) {
    MeshConfig config = tracker.config();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TrackerMain.class.getName(),
                TrackerMain.PINOT_SETUP)
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    for (Setting setting :
        List.of(
            Setting.PINOT_CONTROLLER_URL,
            Setting.PINOT_TABLE,
            Setting.KAFKA_BOOTSTRAP,
            Setting.TRACKER_TOPIC,
            Setting.TRACKER_TOPIC_PARTITIONS)) {
      env.put(setting.key(), config.string(setting));
    }
    env.putAll(overrides);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
      return new SetupRun(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long pinotCount() {
    JsonObject answer =
        new JsonObject(
            post(
                pinot.brokerUrl() + "/query/sql",
                new JsonObject().put("sql", "SELECT COUNT(*) FROM " + TABLE).encode()));
    return answer.getJsonObject("resultTable") == null
        ? -1
        : answer.getJsonObject("resultTable").getJsonArray("rows").getJsonArray(0).getLong(0);
  }

  private static String controller(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(pinot.controllerUrl() + path)).build(),
              BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String post(String url, String json) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
