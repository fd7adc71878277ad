package dev.mesh.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged all-in-one jar, run as the README says: it becomes ready, takes a registration
 * through the gateway's port in both API shapes, keeps a layout in its embedded PostgreSQL across a
 * restart, counts a pixel hit through its embedded Kafka (whose log a restart keeps), lets a second
 * JVM join its cluster and share the registry, and stops cleanly on SIGTERM, embedded PostgreSQL
 * included.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AllInOneIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String MANIFEST =
      """
    {"tag":"orders-table","label":"Orders by week","module":"https://orders.example/table.js","version":"1.2.0",
     "owner":"order-analytics","domain":"orders","domainKind":"aggregate"}""";

  private static final String LAYOUT =
      """
    {"name":"IT layout","content":{"config":{"root":{"type":"row","content":[{"type":"component",
     "componentType":"mesh-widget","componentState":{"frame":"f1","widget":"orders-table","attributes":{}}}]}}}}""";

  private static Path dataDir;
  private static String savedLayout;
  private static Map<String, String> env;
  private static Process mesh;
  private static Path meshLog;
  private static int gatewayPort;

  @BeforeAll
  static void startMesh() throws Exception {
    dataDir = Files.createTempDirectory("mesh-it");
    gatewayPort = Ports.free();
    env = new HashMap<>();
    env.put("MESH_DATA_DIR", dataDir.toString());
    env.put("MESH_CLUSTER_NAME", "mesh-it-" + UUID.randomUUID());
    // below the ephemeral range the free HTTP ports come from, and apart from TestCluster's
    // 20000-31999
    env.put(
        "MESH_CLUSTER_PORT",
        String.valueOf(10000 + ThreadLocalRandom.current().nextInt(0, 100) * 100));
    env.put("MESH_GATEWAY_PORT", String.valueOf(gatewayPort));
    env.put("MESH_REGISTRY_PORT", String.valueOf(Ports.free()));
    env.put("MESH_TRACKER_PORT", String.valueOf(Ports.free()));
    env.put("MESH_TRACKER_QUERY_PORT", String.valueOf(Ports.free()));
    env.put("MESH_KAFKA_EMBEDDED_PORT", String.valueOf(Ports.free()));
    env.put("MESH_WIDGET_HOST_PORT", String.valueOf(Ports.free()));
    env.put("MESH_REGISTRY_TOKEN", "it-token");
    env.put("MESH_WIDGETS_DIR", dataDir.resolve("widgets").toString());
    meshLog = dataDir.resolve("mesh.log");
    mesh = java(env, meshLog, "-jar", jar());
    awaitReady(gatewayPort, mesh, meshLog);
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null && mesh.isAlive()) {
      mesh.destroyForcibly();
    }
  }

  @Test
  @Order(1)
  void readyMeansClusterAndDatabaseUp() throws Exception {
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"cluster\"")
        .contains("\"database\"")
        .contains("\"outcome\":\"UP\"");
    assertThat(get("/metrics").body()).contains("vertx_http_server_requests_total");
    assertThat(get("/").body()).contains("<title>Mesh</title>");
  }

  @Test
  @Order(2)
  void registrationRoundTripsThroughTheGateway() throws Exception {
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(uri("/api/widgets/orders-table"))
                .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                .build());
    assertThat(refused.statusCode()).isEqualTo(401);

    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(uri("/api/widgets/orders-table"))
                .header("Authorization", "Bearer it-token")
                .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                .build());
    assertThat(created.statusCode()).isEqualTo(201);

    assertThat(get("/api/widgets?domain=orders").body())
        .contains("\"id\":\"orders-table\"")
        .contains("\"count\":1");
    HttpResponse<String> v1 = get("/api/v1/registry/orders-table");
    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(v1.body()).contains("\"componentId\":\"orders-table\"").contains("\"lastUpdated\"");
  }

  @Test
  @Order(2)
  void aPixelHitIsCountedThroughTheEmbeddedKafka() throws Exception {
    HttpResponse<byte[]> gif =
        HTTP.send(
            HttpRequest.newBuilder(uri("/m/s.gif?s=it.example&p=/welcome"))
                .header(
                    "User-Agent",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gif.statusCode()).isEqualTo(200);
    assertThat(gif.body()).hasSize(43);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject summary = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = get("/api/tracker/sites/it.example/summary?range=1h");
      summary = answer.statusCode() == 200 ? new JsonObject(answer.body()) : null;
      if (summary != null && summary.getLong("views") == 1) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(summary).as("the hit counted").isNotNull();
    assertThat(summary.getLong("views")).isEqualTo(1);
    assertThat(summary.getLong("visitors")).isEqualTo(1);
  }

  @Test
  @Order(2)
  void theExampleWidgetsAreRegisteredAndLoadFromTheGateway() throws Exception {
    for (String id : List.of("sales-table", "sales-chart", "sales-kpis")) {
      HttpResponse<String> widget = get("/api/widgets/" + id);
      assertThat(widget.statusCode()).as(id).isEqualTo(200);
      String module = new JsonObject(widget.body()).getJsonObject("manifest").getString("module");
      assertThat(module).as(id).matches("/w/" + id + "/[0-9a-f]{12}/.+\\.js");
      HttpResponse<String> file = get(module);
      assertThat(file.statusCode()).as(module).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type"))
          .contains("text/javascript; charset=utf-8");
      assertThat(file.body()).as(module).contains("customElements");
    }
  }

  @Test
  @Order(2)
  void aFolderDroppedIntoTheWidgetsFolderAppearsWithoutARestart() throws Exception {
    Path folder = Files.createDirectories(dataDir.resolve("widgets").resolve("dropped-in"));
    Files.writeString(
        folder.resolve("dropped.js"),
        "customElements.define('x-dropped-in', class extends HTMLElement {});");
    Files.writeString(
        folder.resolve("manifest.json"),
        """
      {"tag":"x-dropped-in","label":"Dropped in","module":"dropped.js","version":"0.1.0",
       "owner":"it","domain":"testing","domainKind":"consumer-aligned"}""");
    String module = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (module == null && System.nanoTime() < deadline) {
      HttpResponse<String> widget = get("/api/widgets/dropped-in");
      if (widget.statusCode() == 200) {
        module = new JsonObject(widget.body()).getJsonObject("manifest").getString("module");
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(module).as("dropped-in registered").isNotNull();
    assertThat(get(module).body()).contains("x-dropped-in");
  }

  @Test
  @Order(2)
  void aLayoutIsSavedInTheEmbeddedDatabaseAndListed() throws Exception {
    // the all-in-one believes identity headers from loopback: several people can be tried on one
    // machine
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(uri("/api/layouts"))
                .header("X-Forwarded-User", "it-user")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LAYOUT))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    savedLayout = new JsonObject(created.body()).getString("id");

    assertThat(layoutsOf("it-user"))
        .contains("\"id\":\"" + savedLayout + "\"")
        .contains("\"name\":\"IT layout\"");
    assertThat(layoutsOf(null))
        .as("the local user does not see it-user's layout")
        .doesNotContain(savedLayout);
  }

  private static String layoutsOf(String user) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/layouts"));
    if (user != null) {
      request.header("X-Forwarded-User", user);
    }
    HttpResponse<String> list = send(request.build());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    return list.body();
  }

  @Test
  @Order(3)
  void aSecondJvmJoinsTheClusterAndSharesTheRegistry() throws Exception {
    // its port comes from a configuration file; the cluster name in the file loses to the
    // environment
    Map<String, String> second = new HashMap<>(env);
    int secondPort = Ports.free();
    second.remove("MESH_REGISTRY_PORT");
    Path file = dataDir.resolve("second.json");
    Files.writeString(
        file,
        "{\"MESH_REGISTRY_PORT\": " + secondPort + ", \"MESH_CLUSTER_NAME\": \"not-this-one\"}");
    second.put("MESH_CONFIG_FILE", file.toString());
    Path log = dataDir.resolve("second.log");
    Process registry = java(second, log, "-cp", jar(), "dev.mesh.registry.RegistryMain");
    try {
      awaitReady(secondPort, registry, log);
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + secondPort + "/api/v1/registry/orders-chart"))
                  .header("Authorization", "Bearer it-token")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"webComponent\":{\"jsUrl\":\"/w/orders/chart.js\",\"cssUrl\":\"\",\"componentId\":\"orders-chart\"},"
                              + "\"label\":\"Orders\",\"tags\":{\"domain\":\"orders\"}}"))
                  .build());
      assertThat(created.statusCode()).isEqualTo(200);
      // registered on the second JVM, listed by the first one's gateway
      assertThat(get("/api/widgets/orders-chart").statusCode()).isEqualTo(200);
    } finally {
      registry.destroy();
      assertThat(registry.waitFor(30, TimeUnit.SECONDS)).as("second JVM stops on SIGTERM").isTrue();
    }
  }

  @Test
  @Order(4)
  void stopsCleanlyOnSigterm() throws Exception {
    long postgresPid =
        Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).stream()
            .findFirst()
            .map(Long::parseLong)
            .orElseThrow();
    assertThat(ProcessHandle.of(postgresPid)).isPresent();

    mesh.destroy(); // SIGTERM
    assertThat(mesh.waitFor(30, TimeUnit.SECONDS)).as("Mesh exits after SIGTERM").isTrue();
    assertThat(Files.readString(meshLog)).contains("Mesh stopped");
    assertThat(mesh.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
    // the postmaster was the JVM's child: once orphaned, init reaps it a moment later
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive).orElse(false))
        .as("embedded PostgreSQL stopped with it")
        .isFalse();
    assertThat(dataDir.resolve("postgres/postmaster.pid"))
        .as("PostgreSQL shut down, not killed")
        .doesNotExist();
  }

  @Test
  @Order(5)
  void restartsOnTheSameDataFolder() throws Exception {
    Path version = dataDir.resolve("postgres/PG_VERSION");
    var created = Files.getLastModifiedTime(version);
    Path log = dataDir.resolve("restart.log");
    mesh = java(env, log, "-jar", jar());
    awaitReady(gatewayPort, mesh, log);
    // the existing cluster of databases is opened again, not initialised anew
    assertThat(Files.getLastModifiedTime(version)).isEqualTo(created);
    assertThat(layoutsOf("it-user"))
        .as("the layout saved before the restart")
        .contains("\"id\":\"" + savedLayout + "\"");
    // and so is the Kafka log: the hit of before is still in the topic
    JsonObject projections = new JsonObject(get("/api/tracker/projections").body());
    long records =
        projections.getJsonArray("versions").getJsonObject(0).getJsonArray("partitions").stream()
            .map(JsonObject.class::cast)
            .mapToLong(p -> p.getLong("endOffset") == null ? 0 : p.getLong("endOffset"))
            .sum();
    assertThat(records)
        .as("records kept in the topic across the restart")
        .isGreaterThanOrEqualTo(1);
    assertThat(
            new JsonObject(get("/api/tracker/sites/it.example/summary?range=1h").body())
                .getLong("views"))
        .isEqualTo(1);
    mesh.destroy();
    assertThat(mesh.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @Order(6)
  void aBadSettingStopsTheStartWithAMessageNamingIt() throws Exception {
    Map<String, String> bad = new HashMap<>(env);
    bad.put("MESH_GATEWAY_PORT", "eighty");
    Path log = dataDir.resolve("bad.log");
    Process process = java(bad, log, "-jar", jar());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log))
        .contains("MESH_GATEWAY_PORT must be an integer, got 'eighty'");
  }

  private static Process java(Map<String, String> env, Path log, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] command = new String[args.length + 1];
    command[0] = java;
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static void awaitReady(int port, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> ready =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not ready within 90 s:\n" + Files.readString(log));
  }

  private static String jar() {
    String jar = System.getProperty("mesh.jar");
    assertThat(jar).as("the failsafe configuration passes the jar's path").isNotNull();
    return jar;
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gatewayPort + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
