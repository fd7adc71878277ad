package dev.mesh.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.GatewayMain;
import dev.mesh.testing.BridgeClient;
import dev.mesh.testing.BusRecorder;
import dev.mesh.testing.ChildJvm;
import dev.mesh.testing.Http;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHostMain;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults with the real parts: a widget-host and a gateway SIGKILLed in JVMs of their own, Kafka
 * away under pixel load, PostgreSQL restarted under saves. What exists elsewhere is not repeated
 * here (see docs/reliability.md): KafkaOutageTest (buffer overflow), ProjectionTest (consumer
 * stopped mid-stream), LayoutDatabaseOutageTest (gateway started before its database),
 * DashboardReconnectBrowserTest (the SDK).
 */
class FaultsTest {

  private static final Duration EXPIRY_BOUND = Duration.ofSeconds(10);
  private static Mesh mesh;
  private static BusRecorder changes;

  @BeforeAll
  static void start() {
    mesh = Mesh.shared();
    changes = BusRecorder.listen(mesh.node.vertx(), Addresses.REGISTRY_CHANGES);
  }

  @AfterAll
  static void stop() {
    changes.close();
    assertThat(mesh.http().get("/health/live").status()).isEqualTo(200);
  }

  /** Cluster settings only: a child joins the suite's cluster, with its own ports. */
  private static MeshConfig childConfig() {
    return mesh.cluster.config();
  }

  @Test
  void aKilledWidgetHostsWidgetsExpireAndComeBackWithIt() throws IOException {
    Path widgets = Files.createTempDirectory(mesh.folder, "child-widgets");
    Path folder = Files.createDirectories(widgets.resolve("kill-me"));
    Files.writeString(
        folder.resolve("manifest.json"),
        new JsonObject()
            .put("tag", "kill-me")
            .put("label", "Kill me")
            .put("module", "kill-me.js")
            .put("version", "1.0.0")
            .put("owner", "reliability")
            .put("domain", "testing")
            .put("domainKind", "consumer-aligned")
            .encode());
    Files.writeString(
        folder.resolve("kill-me.js"),
        "customElements.define('kill-me', class extends HTMLElement {});");
    MeshConfig config =
        childConfig()
            .with(Setting.WIDGETS_DIR, widgets.toString())
            .with(Setting.WIDGET_EXAMPLES, "false");
    Http http = mesh.http();

    ChildJvm host = ChildJvm.start(WidgetHostMain.class, config);
    try {
      Poll.until(
          Duration.ofSeconds(90),
          "the child's widget registered and served",
          () ->
              http.get("/api/widgets/kill-me").status() == 200
                  && http.get(module(http)).status() == 200);
      changes.clear();
      long killed = System.nanoTime();
      host.kill();
      changes.await(
          EXPIRY_BOUND,
          "the killed member's widget expired",
          m -> "expired".equals(m.getString("type")) && "kill-me".equals(m.getString("id")));
      long expiredMillis = (System.nanoTime() - killed) / 1_000_000;
      assertThat(http.get("/api/widgets/kill-me").status()).isEqualTo(404);
      Figures.write(
          "widget-host-sigkill",
          Map.of(
              "expiredAfterMillis",
              expiredMillis,
              "memberTimeoutSeconds",
              config.integer(Setting.CLUSTER_MEMBER_TIMEOUT_SECONDS),
              "sweepMillis",
              config.integer(Setting.REGISTRY_SWEEP_MILLIS)));
    } finally {
      host.close();
    }

    changes.clear();
    ChildJvm again = ChildJvm.start(WidgetHostMain.class, config);
    try {
      changes.await(
          Duration.ofSeconds(90),
          "the widget registered again by the restarted host",
          m -> "registered".equals(m.getString("type")) && "kill-me".equals(m.getString("id")));
      Poll.until(
          Duration.ofSeconds(30),
          "its files served again",
          () -> http.get(module(http)).status() == 200);
    } finally {
      again.close();
    }
  }

  private static String module(Http http) {
    return new JsonObject(http.get("/api/widgets/kill-me").body())
        .getJsonObject("manifest")
        .getString("module");
  }

  @Test
  void aClientOfAKilledGatewayReconnectsToTheSurvivorAndHearsEventsAgain() {
    ChildJvm second = ChildJvm.start(GatewayMain.class, childConfig());
    try {
      int port =
          Poll.until(
              Duration.ofSeconds(90),
              "the second gateway's endpoint",
              FaultsTest::otherGatewayPort,
              p -> p > 0);
      BridgeClient client = BridgeClient.connect(mesh.node.vertx(), port, null);
      client.send("register", "session.chart", null);
      client.send("register", Addresses.REGISTRY_CHANGES, null);
      client.publishUntilHeard(
          "chart", new JsonObject().put("before", true), "its own event on the second gateway");

      second.kill();
      Poll.until(BridgeClient.WAIT, "the client noticed its gateway died", client::closed);
      // what the SDK does: connect again (through the load balancer: the survivor) and register
      // again
      BridgeClient again = BridgeClient.connect(mesh.node.vertx(), mesh.gatewayPort, null);
      again.send("register", "session.chart", null);
      again.send("register", Addresses.REGISTRY_CHANGES, null);
      again.publishUntilHeard(
          "chart", new JsonObject().put("after", true), "its own event on the survivor");
      String id = "reconnected-" + System.nanoTime();
      Poll.until(
          BridgeClient.WAIT,
          "the registry feed on the survivor",
          () -> {
            mesh.node
                .vertx()
                .eventBus()
                .publish(
                    Addresses.REGISTRY_CHANGES,
                    new JsonObject().put("type", "registered").put("id", id));
            return again.received().stream().anyMatch(m -> m.encode().contains(id));
          });
      again.close();
    } finally {
      second.close();
    }
  }

  private static int otherGatewayPort() {
    ServiceDiscovery discovery = ServiceDiscovery.create(mesh.node.vertx());
    try {
      Record record =
          TestCluster.await(
              discovery.getRecord(
                  r ->
                      "gateway".equals(r.getName())
                          && !mesh.node.nodeId().equals(r.getMetadata().getString("member"))));
      return record == null ? -1 : record.getLocation().getInteger("port");
    } finally {
      discovery.close();
    }
  }

  @Test
  void kafkaAwayUnderPixelLoadLosesNoHitBeforeTheBufferLimitAndCountsTheOverflow() {
    int seconds = Integer.getInteger("mesh.reliability.kafkaOutageSeconds", 30);
    String run = "run" + System.nanoTime();
    String site = "outage.example";
    Http http = mesh.http();
    double dropped = mesh.counter("mesh_tracker_hits_dropped", "reason", "buffer-full");
    mesh.kafka.stop();
    int sent = 0;
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    // as many hits as the buffer holds, and 10 % more, spread over the outage
    int target = (int) (Mesh.BUFFER_HITS * 1.1);
    long spacing = Duration.ofSeconds(seconds).toNanos() / target;
    try {
      for (long next = System.nanoTime();
          sent < target || System.nanoTime() < end;
          next += spacing) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        if (sent < target) {
          Http.Answer answer =
              http.get(
                  "/m/s.gif?s=" + site + "&p=/" + run + "/" + sent,
                  "User-Agent",
                  Mesh.BROWSER,
                  "X-Forwarded-For",
                  "198.51." + (sent / 250) + "." + (sent % 250));
          assertThat(answer.status()).as("the pixel answers while Kafka is away").isEqualTo(200);
          assertThat(answer.header("Content-Length")).isEqualTo("43");
          sent++;
        }
      }
    } finally {
      mesh.kafka.restart();
    }
    int overflow = sent - Mesh.BUFFER_HITS;
    Poll.until(
        Duration.ofSeconds(60),
        "the overflow counted",
        () ->
            mesh.counter("mesh_tracker_hits_dropped", "reason", "buffer-full") - dropped
                == overflow);
    Set<String> pages =
        Poll.until(
            Duration.ofSeconds(90),
            "every buffered hit in Kafka",
            () -> pagesOf(run),
            found -> found.size() >= Mesh.BUFFER_HITS);
    assertThat(pages)
        .as("exactly the hits accepted before the buffer was full")
        .hasSize(Mesh.BUFFER_HITS);
    for (int i = 0; i < Mesh.BUFFER_HITS; i++) {
      assertThat(pages).contains("/" + run + "/" + i);
    }
    Figures.write(
        "kafka-outage",
        Map.of(
            "outageSeconds",
            seconds,
            "hitsSent",
            sent,
            "buffered",
            Mesh.BUFFER_HITS,
            "dropped",
            overflow,
            "arrived",
            pages.size()));
  }

  /** The pages of this run's hits in the topic, read from the start with a plain consumer. */
  private static Set<String> pagesOf(String run) {
    Set<String> pages = ConcurrentHashMap.newKeySet();
    try (KafkaConsumer<String, String> consumer = topicReader()) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  String page = new JsonObject(r.value()).getString("page", "");
                  if (page.startsWith("/" + run + "/")) {
                    pages.add(page);
                  }
                });
      }
    }
    return pages;
  }

  @Test
  void postgresRestartedUnderSavesAnswers503MeanwhileAndLosesNoAcknowledgedSave() throws Exception {
    Http http = mesh.http();
    List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> outageMessages = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean saving = new AtomicBoolean(true);
    Thread saver =
        new Thread(
            () -> {
              int n = 0;
              while (saving.get()) {
                Http.Answer answer =
                    http.send(
                        "POST",
                        "/api/layouts",
                        new JsonObject()
                            .put("name", "Save " + n++)
                            .put("content", EndpointFuzzTest.content("sales-table"))
                            .encode()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "X-Forwarded-User",
                        "saver",
                        "Content-Type",
                        "application/json");
                if (answer.status() == 201) {
                  acknowledged.add(new JsonObject(answer.body()).getString("id"));
                } else if (answer.status() == 503) {
                  outageMessages.add(answer.message());
                } else {
                  outageMessages.add("unexpected " + answer);
                }
              }
            },
            "saver");
    saver.start();
    Poll.until(
        BridgeClient.WAIT, "saves acknowledged before the restart", () -> acknowledged.size() >= 5);
    mesh.postgres.stop();
    Poll.until(
        Duration.ofSeconds(30),
        "saves refused with 503 during the outage",
        () -> outageMessages.size() >= 3);
    // the tracker's analytics read the same database: one feature degraded, with a message, not a
    // 500
    String summary = "/api/tracker/sites/shop.example/summary?range=24h";
    Http.Answer analytics = http.get(summary);
    assertThat(analytics.status()).as("analytics during the outage: " + analytics).isEqualTo(503);
    assertThat(analytics.message()).as("the 503 names the problem").contains("PostgreSQL");
    mesh.postgres.start();
    int before = acknowledged.size();
    Poll.until(
        Duration.ofSeconds(60),
        "saves acknowledged again after the restart, without restarting the gateway",
        () -> acknowledged.size() >= before + 5);
    saving.set(false);
    saver.join();
    Poll.until(
        Duration.ofSeconds(30),
        "analytics answer again after the restart",
        () -> http.get(summary).status() == 200);

    assertThat(outageMessages)
        .as("every refusal during the outage is a 503 naming it")
        .allSatisfy(message -> assertThat(message).isNotNull().doesNotStartWith("unexpected"));
    for (String id : List.copyOf(acknowledged)) {
      assertThat(http.get("/api/layouts/" + id, "X-Forwarded-User", "saver").status())
          .as("acknowledged save " + id)
          .isEqualTo(200);
    }
    Figures.write(
        "postgres-restart",
        Map.of(
            "acknowledgedSaves",
            acknowledged.size(),
            "refusedDuringOutage",
            outageMessages.size()));
  }

  /**
   * The projection in a process of its own, SIGKILLed while it works through the topic (so in the
   * middle of a batch: it is never idle while catching up), then started again: every hit counted
   * once. A version of its own (7), built from the start of the topic beside the suite's version 1.
   */
  @Test
  void aProjectionKilledWhileProjectingCountsEveryHitOnceAfterItsRestart() throws Exception {
    String site = "killed-" + System.nanoTime() + ".example";
    int sent = 3000;
    Http http = mesh.http();
    double published = mesh.counter("mesh_tracker_hits_published", null, null);
    for (int i = 0; i < sent; i++) {
      assertThat(
              http.get(
                      "/m/s.gif?s=" + site + "&p=/p" + (i % 13),
                      "User-Agent",
                      Mesh.BROWSER,
                      "X-Forwarded-For",
                      "203.0.113." + (i % 17))
                  .status())
          .isEqualTo(200);
    }
    Poll.until(
        Duration.ofSeconds(60),
        "every hit in Kafka",
        () -> mesh.counter("mesh_tracker_hits_published", null, null) - published >= sent);
    MeshConfig config = mesh.config.with(Setting.TRACKER_PROJECTIONS, "7");
    long atKill;
    try (ChildJvm first = ChildJvm.start(ProjectionMain.class, config)) {
      atKill =
          Poll.until(
              Duration.ofSeconds(120),
              "the child projecting the site's hits",
              () -> views(site, 7),
              views -> views > 0);
      first.kill();
    }
    long afterKill = views(site, 7);
    try (ChildJvm restarted = ChildJvm.start(ProjectionMain.class, config)) {
      assertThat(restarted.isAlive()).as("the projection restarted").isTrue();
      Poll.until(
          Duration.ofSeconds(120),
          "the restarted projection caught up",
          () -> views(site, 7),
          views -> views >= sent);
      // caught up with the whole topic, not just this site: nothing left to count twice
      Poll.until(
          Duration.ofSeconds(60),
          "the restarted projection at the end of the topic",
          () -> lag(7) == 0);
      assertThat(views(site, 7))
          .as("every hit once, none lost, none counted twice")
          .isEqualTo(sent);
    } finally {
      sql(statement -> statement.execute("SELECT tracker.drop_projection(7)"));
    }
    assertThat(afterKill).as("killed before it had projected every hit").isLessThan(sent);
    Figures.write(
        "projection-kill",
        Map.of("hitsSent", sent, "viewsSeenBeforeKill", atKill, "viewsAfterKill", afterKill));
  }

  /** The site's page views in a projection version, read from PostgreSQL. */
  private static long views(String site, int version) {
    return sql(
        statement -> {
          try (ResultSet rows =
              statement.executeQuery(
                  "SELECT coalesce(sum(views), 0) FROM tracker.page_views_v"
                      + version
                      + " WHERE site = '"
                      + site
                      + "'")) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  /**
   * A plain consumer of the hits topic that sees what the projection sees: committed records only.
   */
  private static KafkaConsumer<String, String> topicReader() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            mesh.kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        new StringDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
    return consumer
        .partitionsFor(mesh.config.string(Setting.TRACKER_TOPIC), Duration.ofSeconds(10))
        .stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
  }

  /**
   * Records of the hits topic a projection version has not applied yet (its stored offsets against
   * the topic's end).
   */
  private static long lag(int version) {
    String topic = mesh.config.string(Setting.TRACKER_TOPIC);
    Map<Integer, Long> applied =
        sql(
            statement -> {
              Map<Integer, Long> next = new java.util.HashMap<>();
              try (ResultSet rows =
                  statement.executeQuery(
                      "SELECT kafka_partition, next_offset FROM tracker.projection_offsets"
                          + " WHERE version = "
                          + version
                          + " AND topic = '"
                          + topic
                          + "'")) {
                while (rows.next()) {
                  next.put(rows.getInt(1), rows.getLong(2));
                }
              }
              return next;
            });
    try (KafkaConsumer<String, String> consumer = topicReader()) {
      return consumer.endOffsets(partitions(consumer)).entrySet().stream()
          .mapToLong(e -> e.getValue() - applied.getOrDefault(e.getKey().partition(), 0L))
          .sum();
    }
  }

  private interface Query<T> {
    T run(Statement statement) throws SQLException;
  }

  private static <T> T sql(Query<T> query) {
    URI url = URI.create(mesh.config.string(Setting.DATABASE_URL));
    String jdbc = "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath();
    try (Connection connection = DriverManager.getConnection(jdbc, url.getUserInfo(), "");
        Statement statement = connection.createStatement()) {
      return query.run(statement);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
    }
  }
}
