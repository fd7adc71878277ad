package dev.mesh.tracker;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Meters;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A tracker on a test cluster of its own, on the shared Kafka broker and PostgreSQL with a topic
 * and a database of its own, and the clients a test needs: HTTP to the collector and the query API,
 * a plain Kafka consumer to read the topic, and the node's meters.
 */
final class TrackerUnderTest implements AutoCloseable {

  /** What a desktop browser sends; anything less looks like a bot to the collector. */
  static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

  static final Duration WAIT = Duration.ofSeconds(30);

  private final TestCluster cluster;
  private final MeshConfig config;
  private final MeshNode node;
  private final WebClient web;
  private final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
  private Pool database;

  private TrackerUnderTest(
      TestCluster cluster, MeshConfig config, List<Supplier<? extends Deployable>> verticles) {
    this.cluster = cluster;
    this.config = config;
    this.node = cluster.start(config, verticles);
    this.web =
        WebClient.create(
            node.vertx(),
            new WebClientOptions().setDefaultHost("127.0.0.1").setUserAgentEnabled(false));
  }

  /**
   * Starts {@code verticles} with the test defaults (a new topic of one partition, a new database,
   * short Kafka time-outs), changed by {@code configure}.
   */
  static TrackerUnderTest start(
      UnaryOperator<MeshConfig> configure, List<Supplier<? extends Deployable>> verticles) {
    return start(SharedInfrastructure.kafka().bootstrapServers(), configure, verticles);
  }

  /** Like {@link #start(UnaryOperator, List)}, on the brokers at {@code bootstrap}. */
  static TrackerUnderTest start(
      String bootstrap,
      UnaryOperator<MeshConfig> configure,
      List<Supplier<? extends Deployable>> verticles) {
    TestCluster cluster = new TestCluster();
    MeshConfig base =
        cluster
            .config()
            .with(Setting.DATABASE_URL, TestPostgres.newDatabase("tracker").url())
            .with(Setting.DATABASE_POOL_SIZE, 4)
            .with(Setting.KAFKA_BOOTSTRAP, bootstrap)
            .with(Setting.KAFKA_TIMEOUT_MILLIS, 3000)
            .with(Setting.TRACKER_TOPIC, SharedInfrastructure.unique("hits"))
            .with(Setting.TRACKER_TOPIC_PARTITIONS, 1)
            .with(Setting.TRACKER_QUERY_PORT, 0);
    return new TrackerUnderTest(cluster, configure.apply(base), verticles);
  }

  /** Another member of the tracker's cluster, with the tracker's configuration (e.g. a gateway). */
  MeshNode member(List<Supplier<? extends Deployable>> verticles) {
    return cluster.start(config, verticles);
  }

  MeshConfig config() {
    return config;
  }

  MeshNode node() {
    return node;
  }

  /**
   * A pool of connections to the tracker's database, for reading what it stored; closed with it.
   */
  synchronized Pool database() {
    if (database == null) {
      database = Databases.pool(node.vertx(), config);
    }
    return database;
  }

  String topic() {
    return config.string(Setting.TRACKER_TOPIC);
  }

  /**
   * Deploys one more verticle on the tracker's node, with the tracker's configuration or another.
   */
  String deploy(Deployable verticle, MeshConfig with) {
    ports.clear();
    return TestCluster.await(
        node.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(with.toJson())));
  }

  void undeploy(String deploymentId) {
    ports.clear();
    TestCluster.await(node.vertx().undeploy(deploymentId));
  }

  /** The collector's port, looked up once per deployment of it. */
  int collectorPort() {
    return ports.computeIfAbsent(
        CollectorVerticle.SERVICE_NAME, name -> Endpoints.httpPort(node, name));
  }

  int queryPort() {
    return ports.computeIfAbsent(
        TrackerQueryVerticle.SERVICE_NAME, name -> Endpoints.httpPort(node, name));
  }

  /**
   * A pixel request as a browser makes it: {@code query} as written in the snippet, headers as
   * given.
   */
  HttpResponse<Buffer> pixel(String query, MultiMap headers) {
    HttpRequest<Buffer> request =
        web.get(
            collectorPort(),
            "127.0.0.1",
            config.string(Setting.TRACKER_PIXEL_PATH) + (query.isEmpty() ? "" : "?" + query));
    request.headers().addAll(headers);
    return TestCluster.await(request.send());
  }

  /** A pixel request from a browser at {@code ip}. */
  HttpResponse<Buffer> pixel(String query, String ip) {
    return pixel(query, headers(BROWSER, ip));
  }

  HttpResponse<Buffer> beacon(String body, MultiMap headers) {
    HttpRequest<Buffer> request =
        web.post(collectorPort(), "127.0.0.1", config.string(Setting.TRACKER_BEACON_PATH));
    request.headers().addAll(headers);
    return TestCluster.await(request.sendBuffer(Buffer.buffer(body)));
  }

  static MultiMap headers(String userAgent, String ip) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (userAgent != null) {
      headers.add("User-Agent", userAgent);
    }
    if (ip != null) {
      headers.add("X-Forwarded-For", ip);
    }
    return headers;
  }

  HttpResponse<Buffer> get(int port, String pathAndQuery) {
    return TestCluster.await(web.get(port, "127.0.0.1", pathAndQuery).send());
  }

  HttpResponse<Buffer> options(int port, String path) {
    return TestCluster.await(
        web.request(io.vertx.core.http.HttpMethod.OPTIONS, port, "127.0.0.1", path)
            .putHeader("Origin", "https://shop.example")
            .putHeader("Access-Control-Request-Method", "POST")
            .send());
  }

  /** A query API answer that must be 200. */
  JsonObject query(String pathAndQuery) {
    HttpResponse<Buffer> response = get(queryPort(), pathAndQuery);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          pathAndQuery + " answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Waits until the projection version the API answers from has applied the whole topic. */
  void awaitCaughtUp() {
    // the pixel answers before its hit reaches Kafka: first every accepted hit acknowledged (or
    // dropped)
    Poll.until(
        WAIT,
        "every accepted hit acknowledged by Kafka",
        () ->
            counter(TrackerMetrics.RECEIVED, "outcome", "accepted")
                <= counter(TrackerMetrics.PUBLISHED) + counter(TrackerMetrics.DROPPED));
    Poll.until(
        WAIT,
        "the active projection caught up with " + topic(),
        () -> {
          JsonObject status = query("/api/tracker/projections");
          return status.getJsonArray("versions").stream()
              .map(JsonObject.class::cast)
              .filter(v -> v.getInteger("version").equals(status.getInteger("active")))
              .allMatch(v -> Boolean.TRUE.equals(v.getBoolean("caughtUp")));
        });
  }

  double counter(String name, String tag, String value) {
    return Meters.counter(node, name, tag, value);
  }

  double counter(String name) {
    return Meters.counter(node, name);
  }

  double gauge(String name) {
    return Meters.gauge(node, name);
  }

  /** Every record of the topic, read from the start with a plain Kafka consumer. */
  List<ConsumerRecord<String, String>> records() {
    return records(config.string(Setting.KAFKA_BOOTSTRAP));
  }

  List<ConsumerRecord<String, String>> records(String bootstrap) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic(), Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        return records;
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
      while (assigned.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Waits until the topic holds {@code count} records, and returns them. */
  List<ConsumerRecord<String, String>> awaitRecords(int count) {
    return Poll.until(
        WAIT, count + " records in " + topic(), this::records, r -> r.size() >= count);
  }

  @Override
  public void close() {
    if (database != null) {
      TestCluster.await(database.close());
    }
    web.close();
    cluster.close();
  }
}
