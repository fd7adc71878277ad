package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The projections built from the log: they count exactly the hits sent, also when the consumer is
 * stopped mid-stream and the records are delivered again, and a version rebuilt from the start of
 * the topic beside the active one gives the same numbers once the API is switched to it.
 */
class ProjectionTest {

  private static TrackerUnderTest tracker;
  private static String projection;
  private static String queries;
  private static Pool database;

  @BeforeAll
  static void start() {
    tracker =
        TrackerUnderTest.start(
            config -> config, List.of(HitPublisherVerticle::new, CollectorVerticle::new));
    projection = tracker.deploy(new ProjectionVerticle(), tracker.config());
    queries = tracker.deploy(new TrackerQueryVerticle(), tracker.config());
    database = tracker.database();
  }

  @AfterAll
  static void stop() {
    tracker.close();
  }

  @Test
  void nHitsGiveNViewsAndTheRightUniques() {
    String site = "count.example";
    // 5 visitors (IP addresses); 40 views: /a 20, /b 12, /c 8; every 4th view came from
    // news.example
    for (int i = 0; i < 40; i++) {
      String page = i < 20 ? "/a" : i < 32 ? "/b" : "/c";
      String referrer = i % 4 == 0 ? "&r=https%3A%2F%2Fnews.example%2Fstory" : "";
      tracker.pixel("s=" + site + "&p=" + page + referrer + "&_=" + i, "192.0.2." + (i % 5));
    }
    tracker.awaitCaughtUp();

    JsonObject summary = tracker.query("/api/tracker/sites/" + site + "/summary?range=1h");
    assertThat(summary.getLong("views")).isEqualTo(40);
    assertThat(summary.getLong("visitors")).isEqualTo(5);

    JsonArray pages =
        tracker.query("/api/tracker/sites/" + site + "/pages?range=1h").getJsonArray("pages");
    assertThat(
            pages.stream()
                .map(JsonObject.class::cast)
                .map(
                    p ->
                        p.getString("page")
                            + "="
                            + p.getLong("views")
                            + "/"
                            + p.getLong("visitors")))
        .containsExactly("/a=20/5", "/b=12/5", "/c=8/5");

    JsonArray referrers =
        tracker
            .query("/api/tracker/sites/" + site + "/referrers?range=1h")
            .getJsonArray("referrers");
    assertThat(
            referrers.stream()
                .map(JsonObject.class::cast)
                .map(r -> r.getString("referrer") + "=" + r.getLong("views")))
        .containsExactly("=30", "news.example=10");

    JsonArray points =
        tracker
            .query("/api/tracker/sites/" + site + "/timeseries?range=1h&bucket=minute")
            .getJsonArray("points");
    assertThat(points).hasSize(61);
    assertThat(points.stream().map(JsonObject.class::cast).mapToLong(p -> p.getLong("views")).sum())
        .isEqualTo(40);
    assertThat(
            points.stream()
                .map(JsonObject.class::cast)
                .mapToLong(p -> p.getLong("visitors"))
                .max()
                .orElse(0))
        .isEqualTo(5);
    JsonArray hourly =
        tracker
            .query("/api/tracker/sites/" + site + "/timeseries?range=24h&bucket=day")
            .getJsonArray("points");
    assertThat(
            hourly.stream()
                .map(JsonObject.class::cast)
                .mapToLong(p -> p.getLong("visitors"))
                .max()
                .orElse(0))
        .as("visitors of a day are counted from the set of visitors, not summed per minute")
        .isEqualTo(5);
  }

  @Test
  void aProjectionStoppedMidStreamCountsEveryHitOnceAfterRedelivery() throws Exception {
    String site = "restart.example";
    int sent = 300;
    double projectedBefore = tracker.counter(TrackerMetrics.PROJECTED, "version", "1");
    CompletableFuture<Void> visitors =
        CompletableFuture.runAsync(
            () ->
                IntStream.range(0, sent)
                    .forEach(
                        i ->
                            tracker.pixel(
                                "s=" + site + "&p=/p" + (i % 7), "198.51.100." + (i % 11))));

    Poll.until(
        TrackerUnderTest.WAIT,
        "the projection under way",
        () -> tracker.counter(TrackerMetrics.PROJECTED, "version", "1") > projectedBefore + 40);
    tracker.undeploy(projection);
    Thread.sleep(300);
    projection = tracker.deploy(new ProjectionVerticle(), tracker.config());
    visitors.get(60, TimeUnit.SECONDS);
    tracker.awaitCaughtUp();

    JsonObject summary = tracker.query("/api/tracker/sites/" + site + "/summary?range=1h");
    assertThat(summary.getLong("views")).as("every hit once").isEqualTo(sent);
    assertThat(summary.getLong("visitors")).isEqualTo(11);
  }

  @Test
  void recordsDeliveredAgainAreRecognisedAndSkipped() {
    String site = "again.example";
    IntStream.range(0, 12)
        .forEach(i -> tracker.pixel("s=" + site + "&p=/x", "203.0.113." + (i % 3)));
    tracker.awaitCaughtUp();
    String summary =
        "/api/tracker/sites/"
            + site
            + "/summary?from="
            + Instant.now().minus(1, ChronoUnit.HOURS)
            + "&to="
            + Instant.now().plus(1, ChronoUnit.HOURS);
    JsonObject before = tracker.query(summary);
    assertThat(before.getLong("views")).isEqualTo(12);

    // the whole topic delivered once more to version 1, as a consumer restarting from the start
    // would
    List<ConsumerRecord<String, String>> records = tracker.records();
    ProjectionStore store = new ProjectionStore(database, tracker.topic(), 1);
    ProjectionStore.Applied again =
        TestCluster.await(
            store.apply(
                records.stream()
                    .map(r -> new ProjectionStore.Delivered(r.partition(), r.offset(), r.value()))
                    .toList()));
    assertThat(again.applied()).isZero();
    assertThat(again.skipped()).isEqualTo(records.size());

    // and records past the stored offset are not applied either: the consumer is told to seek back
    long end = records.get(records.size() - 1).offset() + 1;
    ProjectionStore.Applied ahead =
        TestCluster.await(
            store.apply(
                List.of(new ProjectionStore.Delivered(0, end + 5, records.get(0).value()))));
    assertThat(ahead.applied()).isZero();
    assertThat(ahead.gaps()).isEqualTo(Map.of(0, end));

    assertThat(tracker.query(summary)).as("counts unchanged").isEqualTo(before);
  }

  @Test
  void aRecordThatIsNotAHitIsPassedOverWithoutStoppingTheProjection() throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                tracker.config().string(Setting.KAFKA_BOOTSTRAP)),
            new StringSerializer(),
            new StringSerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  tracker.topic(), "odd.example", "{\"site\":\"odd.example\",\"views\":1000}"))
          .get(30, TimeUnit.SECONDS);
      producer
          .send(new ProducerRecord<>(tracker.topic(), "odd.example", "not json at all"))
          .get(30, TimeUnit.SECONDS);
    }
    tracker.pixel("s=odd.example&p=/after", "203.0.113.99");
    tracker.awaitCaughtUp();
    JsonObject summary = tracker.query("/api/tracker/sites/odd.example/summary?range=1h");
    assertThat(summary.getLong("views")).as("only the real hit").isEqualTo(1);
  }

  @Test
  void aVersionRebuiltFromTheLogBesideTheActiveOneGivesTheSameAnswers() {
    String site = "replay.example";
    for (int i = 0; i < 25; i++) {
      tracker.pixel(
          "s="
              + site
              + "&p=/r"
              + (i % 4)
              + (i % 5 == 0 ? "&r=https%3A%2F%2Fsearch.example%2F" : ""),
          "192.0.2." + (100 + i % 6));
    }
    tracker.beacon(
        new JsonObject().put("site", site).put("name", "download").put("url", "/r1").encode(),
        TrackerUnderTest.headers(TrackerUnderTest.BROWSER, "192.0.2.100"));
    tracker.awaitCaughtUp();
    Instant from = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
    Instant to = Instant.now().plus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
    List<String> questions =
        List.of("summary", "pages", "referrers", "events", "timeseries").stream()
            .map(q -> "/api/tracker/sites/" + site + "/" + q + "?from=" + from + "&to=" + to)
            .toList();
    List<JsonObject> fromVersion1 = questions.stream().map(tracker::query).toList();
    assertThat(fromVersion1.get(0).getLong("views")).isEqualTo(25);

    // version 2 is built beside version 1, from the first record of the topic
    MeshConfig version2 =
        tracker
            .config()
            .with(Setting.TRACKER_PROJECTIONS, "2")
            .with(Setting.TRACKER_ACTIVE_PROJECTION, "2");
    String rebuild = tracker.deploy(new ProjectionVerticle(), version2);
    Poll.until(
        TrackerUnderTest.WAIT,
        "version 2 caught up",
        () ->
            tracker.query("/api/tracker/projections").getJsonArray("versions").stream()
                .map(JsonObject.class::cast)
                .anyMatch(
                    v ->
                        v.getInteger("version") == 2
                            && Boolean.TRUE.equals(v.getBoolean("caughtUp"))));

    // switched: the API answers from version 2, with the same numbers
    tracker.undeploy(queries);
    queries = tracker.deploy(new TrackerQueryVerticle(), version2);
    assertThat(tracker.query("/api/tracker/projections").getInteger("active")).isEqualTo(2);
    List<JsonObject> fromVersion2 = questions.stream().map(tracker::query).toList();
    assertThat(fromVersion2).isEqualTo(fromVersion1);

    tracker.undeploy(rebuild);
    tracker.undeploy(queries);
    queries = tracker.deploy(new TrackerQueryVerticle(), tracker.config());
  }
}
