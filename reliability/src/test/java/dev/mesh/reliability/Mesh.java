package dev.mesh.reliability;

import dev.mesh.allinone.MeshAllInOne;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.embedded.EmbeddedKafka;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Http;
import dev.mesh.testing.Meters;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole of Mesh, as the all-in-one runs it, for every class of the suite: one cluster member
 * with every service's verticles, a real PostgreSQL and a real Kafka broker that a test may stop
 * and start again (both on fixed ports and data folders, so the services find them where they
 * were). Started by the first class that asks, stopped when the test JVM exits; classes run one
 * after another.
 */
final class Mesh {

  /**
   * The registry asks for this token on REST registrations: the fuzzers send it, the access tests
   * do not.
   */
  static final String TOKEN = "reliability-token";

  static final Duration WAIT = Duration.ofSeconds(30);

  /** A tracker buffer small enough for an outage test to fill it (the default is 10,000 hits). */
  static final int BUFFER_HITS = 600;

  static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

  private static Mesh shared;

  final Path folder;
  final TestCluster cluster = new TestCluster();
  final MeshConfig config;
  final MeshNode node;
  final EmbeddedKafka kafka;
  final int gatewayPort;

  /** On a fixed port and data folder: a test may stop it and start it again. */
  final TestPostgres postgres;

  private Mesh() throws IOException {
    folder = Files.createTempDirectory("mesh-reliability");
    postgres = TestPostgres.own(folder.resolve("postgres")).start();
    kafka =
        EmbeddedKafka.start(
            folder.resolve("kafka"),
            0,
            Map.of("num.partitions", "1", "log.segment.bytes", String.valueOf(1024 * 1024)));
    Path widgets = Files.createDirectories(folder.resolve("widgets"));
    config =
        cluster
            .config()
            .with(Setting.DATABASE_URL, postgres.url("postgres"))
            .with(Setting.DATABASE_POOL_SIZE, 4)
            .with(Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers())
            .with(Setting.KAFKA_TIMEOUT_MILLIS, 2000)
            .with(Setting.TRACKER_TOPIC_PARTITIONS, 1)
            .with(Setting.TRACKER_QUERY_PORT, 0)
            .with(Setting.REGISTRY_TOKEN, TOKEN)
            .with(Setting.TRACKER_BUFFER_HITS, BUFFER_HITS)
            .with(Setting.WIDGETS_DIR, widgets.toString());
    node = cluster.start(config, MeshAllInOne.services());
    gatewayPort = Endpoints.httpPort(node, GatewayVerticle.SERVICE_NAME);
    Http http = http();
    // the gateway routes by discovery: wait until it found every service and layouts have their
    // schema
    Poll.until(
        WAIT,
        "every service reachable through the gateway",
        () ->
            http.get("/api/widgets").status() == 200
                && http.get("/api/layouts").status() == 200
                && http.get("/api/tracker/projections").status() == 200);
  }

  static synchronized Mesh shared() {
    if (shared == null) {
      try {
        shared = new Mesh();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Mesh started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "reliability-mesh-stop"));
    }
    return shared;
  }

  Http http() {
    return Http.onPort(gatewayPort);
  }

  double counter(String name, String tag, String value) {
    return Meters.counter(node, name, tag, value);
  }

  double gauge(String name) {
    return Meters.gauge(node, name);
  }

  private void close() {
    cluster.close();
    kafka.close();
    postgres.close();
  }
}
