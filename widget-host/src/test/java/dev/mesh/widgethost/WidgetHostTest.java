package dev.mesh.widgethost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.registry.Registry;
import dev.mesh.testing.BusRecorder;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The widget-host with real members: a registry in one, the widget-host watching a temporary folder
 * in another. Serving (types, caching, traversal), registration on start and stop and on folder
 * changes, and folders that are skipped with a reason.
 */
class WidgetHostTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = "top secret, outside every widget";

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode registry;
  private static MeshNode host;
  private static Path widgets;
  private static Path outside;
  private static HttpClient http;
  private static final List<LogRecord> scanLog = new ArrayList<>();

  /**
   * Held, so the logger (and the handler added to it) is not collected and made anew without it.
   */
  private static final Logger SCAN_LOGGER = Logger.getLogger(WidgetScan.class.getName());

  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (scanLog) {
            scanLog.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void start() throws IOException {
    SCAN_LOGGER.addHandler(CAPTURE);
    widgets = Files.createTempDirectory("mesh-widgets");
    outside = Files.createTempDirectory("mesh-outside");
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    writeWidget(widgets.resolve("hello"), "hello", "1.0.0");
    Files.writeString(widgets.resolve("hello/hello.css"), ":host { color: teal; }");
    Files.writeString(
        widgets.resolve("hello/icon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    Files.createDirectories(widgets.resolve("hello/data"));
    Files.writeString(widgets.resolve("hello/data/sales by region.json"), "{\"north\": 1}");
    Files.writeString(widgets.resolve("hello/.env"), SECRET);
    Files.createSymbolicLink(widgets.resolve("hello/secret.txt"), outside.resolve("secret.txt"));
    JsonObject manifest =
        manifest("hello", "1.0.0").put("css", "hello.css").put("icon", "./icon.svg");
    Files.writeString(widgets.resolve("hello/manifest.json"), manifest.encodePrettily());

    registry = cluster.start(cluster.config(), Registry.verticles());
    host = cluster.start(hostConfig(widgets), WidgetHost.verticles());
    http = host.vertx().createHttpClient();
  }

  @AfterAll
  static void stop() {
    SCAN_LOGGER.removeHandler(CAPTURE);
  }

  private static MeshConfig hostConfig(Path folder) {
    return cluster.widgetHost(folder, false).with(Setting.WIDGETS_SCAN_MILLIS, 200);
  }

  @Test
  void servesEachFileWithItsTypeAndAVersionedUrlCachedForAYear() throws IOException {
    JsonObject manifest = hosted("hello").getJsonObject("manifest");
    String module = manifest.getString("module");
    assertThat(module).matches("/w/hello/[0-9a-f]{12}/hello\\.js");
    assertThat(manifest.getString("css")).isEqualTo(module.replace("hello.js", "hello.css"));
    assertThat(manifest.getString("icon")).isEqualTo(module.replace("hello.js", "icon.svg"));

    Reply js = get(module);
    assertThat(js.status).isEqualTo(200);
    assertThat(js.body).isEqualTo(Files.readString(widgets.resolve("hello/hello.js")));
    assertThat(js.headers.get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(js.headers.get("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(js.headers.get("ETag")).matches("\"[0-9a-f]{32}\"");
    assertThat(js.headers.get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(js.headers.get("Access-Control-Allow-Origin")).isEqualTo("*");

    assertThat(get(manifest.getString("css")).headers.get("Content-Type"))
        .isEqualTo("text/css; charset=utf-8");
    assertThat(get(manifest.getString("icon")).headers.get("Content-Type"))
        .isEqualTo("image/svg+xml");
    Reply data = get(module.replace("hello.js", "data/sales%20by%20region.json"));
    assertThat(data.status).isEqualTo(200);
    assertThat(data.headers.get("Content-Type")).isEqualTo("application/json");
    assertThat(data.body).isEqualTo("{\"north\": 1}");
  }

  @Test
  void unversionedUrlsAreRevalidatedAndUnchangedFilesAnswer304() {
    Reply latest = get("/w/hello/hello.js");
    assertThat(latest.status).isEqualTo(200);
    assertThat(latest.headers.get("Cache-Control")).isEqualTo("no-cache");

    Reply again = get("/w/hello/hello.js", "If-None-Match", latest.headers.get("ETag"));
    assertThat(again.status).isEqualTo(304);
    assertThat(again.body).isEmpty();
    assertThat(get("/w/hello/hello.js", "If-None-Match", "\"something-else\"").status)
        .isEqualTo(200);

    Reply head = request(HttpMethod.HEAD, "/w/hello/hello.js");
    assertThat(head.status).isEqualTo(200);
    assertThat(head.headers.get("Content-Length"))
        .isEqualTo(String.valueOf(latest.body.getBytes(StandardCharsets.UTF_8).length));
  }

  @Test
  void nothingOutsideAWidgetsFilesIsEverServed() {
    String fingerprint = hosted("hello").getString("fingerprint");
    List<String> attempts =
        List.of(
            "/w/hello/../../../../../../etc/passwd",
            "/w/hello/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/w/hello/" + fingerprint + "/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/w/hello/..%5c..%5c..%5cetc%5cpasswd",
            "/w/hello/%2Fetc%2Fpasswd",
            "/w/hello/" + outside.toAbsolutePath(),
            "/w/hello/secret.txt",
            "/w/hello/.env",
            "/w/hello/" + fingerprint + "/.env",
            "/w/hello/",
            "/w/hello",
            "/w/hello/" + fingerprint + "/",
            "/w/hello/data/",
            "/w/hello/data",
            "/w/",
            "/w/..%2f..%2fsecret.txt/x",
            "/w/nobody/hello.js");
    for (String attempt : attempts) {
      Reply reply = get(attempt);
      assertThat(reply.status).as(attempt).isEqualTo(404);
      assertThat(reply.body).as(attempt).doesNotContain(SECRET).doesNotContain("root:");
    }
    assertThat(get("/w/hello/%zz").status).as("a malformed escape").isEqualTo(400);
  }

  @Test
  void widgetsAreRegisteredAsThisMemberWithTheVersionedManifest() {
    JsonObject widget =
        Poll.until(WAIT, "hello in the registry", () -> registered("hello"), Optional::isPresent)
            .get();
    assertThat(widget.getString("member")).isEqualTo(host.nodeId());
    assertThat(widget.getJsonObject("manifest"))
        .isEqualTo(hosted("hello").getJsonObject("manifest"));
  }

  @Test
  void aFolderDroppedInIsRegisteredAndChangesAndRemovalFollow() throws IOException {
    try (BusRecorder changes = BusRecorder.listen(registry.vertx(), Addresses.REGISTRY_CHANGES)) {
      Path folder = widgets.resolve("dropped");
      writeWidget(folder, "dropped", "1.0.0");
      Files.writeString(folder.resolve("manifest.json"), manifest("dropped", "1.0.0").encode());
      JsonObject first =
          Poll.until(WAIT, "dropped registered", () -> registered("dropped"), Optional::isPresent)
              .get();
      String firstModule = first.getJsonObject("manifest").getString("module");
      assertThat(get(firstModule).status).isEqualTo(200);

      Files.writeString(
          folder.resolve("dropped.js"),
          "customElements.define('x-dropped', class extends HTMLElement {}); // v2");
      String secondModule =
          Poll.until(
              WAIT,
              "dropped registered with new URLs",
              () ->
                  registered("dropped")
                      .map(w -> w.getJsonObject("manifest").getString("module"))
                      .orElse(firstModule),
              module -> !module.equals(firstModule));
      assertThat(get(secondModule).body).endsWith("// v2");
      changes.await(
          WAIT,
          "an 'updated' change",
          c -> "updated".equals(c.getString("type")) && "dropped".equals(c.getString("id")));

      deleteTree(folder);
      Poll.until(WAIT, "dropped gone from the registry", () -> registered("dropped").isEmpty());
      assertThat(
              changes
                  .await(
                      WAIT,
                      "a 'removed' change",
                      c ->
                          "removed".equals(c.getString("type"))
                              && "dropped".equals(c.getString("id")))
                  .getString("reason"))
          .isEqualTo("deregistered");
      assertThat(get(firstModule).status).isEqualTo(404);
    }
  }

  @Test
  void brokenFoldersAreSkippedWithTheFileAndProblemWhileTheOthersAreServed() throws IOException {
    Path noManifest = widgets.resolve("no-manifest");
    Files.createDirectories(noManifest);
    Files.writeString(noManifest.resolve("x.js"), "");
    Path notJson = widgets.resolve("not-json");
    writeWidget(notJson, "not-json", "1.0.0");
    Files.writeString(notJson.resolve("manifest.json"), "{\"id\": ");
    Path badVersion = widgets.resolve("bad-version");
    writeWidget(badVersion, "bad-version", "1.0.0");
    Files.writeString(
        badVersion.resolve("manifest.json"), manifest("bad-version", "latest").encode());
    Path noModule = widgets.resolve("no-module");
    writeWidget(noModule, "no-module", "1.0.0");
    Files.writeString(
        noModule.resolve("manifest.json"),
        manifest("no-module", "1.0.0").put("module", "missing.js").encode());
    Path duplicate = widgets.resolve("zz-duplicate");
    writeWidget(duplicate, "hello", "2.0.0");
    Files.writeString(
        duplicate.resolve("manifest.json"),
        manifest("hello", "2.0.0").put("module", "hello.js").encode());
    Path good = widgets.resolve("good-neighbour");
    writeWidget(good, "good-neighbour", "1.0.0");
    Files.writeString(good.resolve("manifest.json"), manifest("good-neighbour", "1.0.0").encode());
    try {
      Poll.until(WAIT, "good-neighbour registered", () -> registered("good-neighbour").isPresent());
      JsonArray skipped =
          Poll.until(
              WAIT,
              "five folders skipped",
              () -> hostStatus().getJsonArray("skipped"),
              s -> s.size() == 5);
      assertThat(problem(skipped, "no-manifest")).contains("manifest.json").contains("missing");
      assertThat(problem(skipped, "not-json")).contains("not a JSON object");
      assertThat(problem(skipped, "bad-version")).contains("/version");
      assertThat(problem(skipped, "no-module")).contains("/module").contains("missing.js");
      assertThat(problem(skipped, "zz-duplicate"))
          .contains("'hello' is already served from")
          .contains(widgets.resolve("hello").toString());
      assertThat(hosted("hello").getJsonObject("manifest").getString("version")).isEqualTo("1.0.0");
      for (String folder :
          List.of("no-manifest", "not-json", "bad-version", "no-module", "zz-duplicate")) {
        assertThat(registered(folder)).as(folder).isEmpty();
      }
      for (String name : List.of("no-manifest", "not-json", "bad-version", "no-module")) {
        String file = widgets.resolve(name).resolve("manifest.json").toString();
        assertThat(logLines())
            .as("log line for " + name)
            .anyMatch(line -> line.contains(file) && line.contains(problem(skipped, name)));
      }
    } finally {
      for (Path folder : List.of(noManifest, notJson, badVersion, noModule, duplicate, good)) {
        deleteTree(folder);
      }
    }
  }

  @Test
  void aSecondHostServesOtherWidgetsAndTakesThemAlongWhenItStops() throws IOException {
    Path otherFolder = Files.createTempDirectory("mesh-widgets-2");
    writeWidget(otherFolder.resolve("other"), "other", "1.0.0");
    Files.writeString(
        otherFolder.resolve("other/manifest.json"), manifest("other", "1.0.0").encode());
    MeshNode second = cluster.start(hostConfig(otherFolder), WidgetHost.verticles());
    try (BusRecorder changes = BusRecorder.listen(registry.vertx(), Addresses.REGISTRY_CHANGES)) {
      JsonObject other =
          Poll.until(WAIT, "other registered", () -> registered("other"), Optional::isPresent)
              .get();
      assertThat(other.getString("member")).isEqualTo(second.nodeId());
      assertThat(registered("hello").orElseThrow().getString("member")).isEqualTo(host.nodeId());

      cluster.stop(second);
      JsonObject removed =
          changes.await(
              WAIT,
              "other removed",
              c -> "other".equals(c.getString("id")) && !"registered".equals(c.getString("type")));
      // taken out by the host itself as it stopped, not found dead by the registry's sweep later
      assertThat(removed.getString("type")).isEqualTo("removed");
      assertThat(removed.getString("reason")).isEqualTo("deregistered");
      assertThat(registered("hello")).isPresent();
    }
  }

  @Test
  void aHostStartedBeforeAnyRegistryRegistersOnceOneArrives() throws IOException {
    TestCluster lonely = new TestCluster();
    try (lonely) {
      Path folder = Files.createTempDirectory("mesh-widgets-3");
      writeWidget(folder.resolve("early"), "early", "1.0.0");
      Files.writeString(folder.resolve("early/manifest.json"), manifest("early", "1.0.0").encode());
      MeshNode early = lonely.start(lonely.widgetHost(folder, false), WidgetHost.verticles());
      Poll.until(
          WAIT, "host serving early", () -> status(early).getJsonArray("widgets").size() == 1);
      MeshNode lateRegistry = lonely.start(lonely.config(), Registry.verticles());
      Poll.until(
          WAIT,
          "early registered once the registry is there",
          () -> list(lateRegistry).stream().anyMatch(w -> "early".equals(w.getString("id"))));
    }
  }

  // --- helpers

  private static void writeWidget(Path folder, String id, String version) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve(id + ".js"),
        "customElements.define('x-" + id + "', class extends HTMLElement {}); // " + version);
  }

  private static JsonObject manifest(String id, String version) {
    return new JsonObject()
        .put("id", id)
        .put("tag", "x-" + id)
        .put("label", "Widget " + id)
        .put("module", id + ".js")
        .put("version", version)
        .put("owner", "test-team")
        .put("domain", "testing")
        .put("domainKind", "consumer-aligned");
  }

  private static JsonObject hostStatus() {
    return status(host);
  }

  private static JsonObject status(MeshNode node) {
    HttpClient client = node.vertx().createHttpClient();
    try {
      String body =
          TestCluster.await(
              client
                  .request(
                      HttpMethod.GET,
                      Endpoints.httpPort(node, "widget-host"),
                      "127.0.0.1",
                      "/api/host/widgets")
                  .compose(r -> r.send())
                  .compose(r -> r.body())
                  .map(Buffer::toString));
      return new JsonObject(body);
    } finally {
      client.close();
    }
  }

  private static JsonObject hosted(String id) {
    return hostStatus().getJsonArray("widgets").stream()
        .map(JsonObject.class::cast)
        .filter(w -> id.equals(w.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not hosted: " + id));
  }

  private static String problem(JsonArray skipped, String folder) {
    return skipped.stream()
        .map(JsonObject.class::cast)
        .filter(s -> s.getString("folder").endsWith("/" + folder))
        .map(s -> s.getString("file") + ": " + s.getString("problem"))
        .findFirst()
        .orElse("(not skipped)");
  }

  private static Optional<JsonObject> registered(String id) {
    return list(registry).stream().filter(w -> id.equals(w.getString("id"))).findFirst();
  }

  private static List<JsonObject> list(MeshNode node) {
    JsonObject reply =
        TestCluster.await(
                node.vertx()
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.REGISTRY, new JsonObject().put("action", "list")))
            .body();
    return reply.getJsonArray("widgets").stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> logLines() {
    synchronized (scanLog) {
      return scanLog.stream()
          .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
          .toList();
    }
  }

  private record Reply(int status, MultiMap headers, String body) {}

  private static Reply get(String uri, String... headers) {
    return request(HttpMethod.GET, uri, headers);
  }

  /** The URI goes out exactly as written, so traversal attempts reach the server unnormalised. */
  private static Reply request(HttpMethod method, String uri, String... headers) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(Endpoints.httpPort(host, "widget-host"))
            .setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return TestCluster.await(
        http.request(options)
            .compose(r -> r.send())
            .compose(
                r ->
                    r.body().map(body -> new Reply(r.statusCode(), r.headers(), body.toString()))));
  }

  private static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
