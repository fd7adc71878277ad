package dev.mesh.gateway;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Browsers load every widget from the gateway's origin: {@code /w/<id>/...} reaches the widget-host
 * that registered the widget, whichever member it runs on, with the host's caching headers intact.
 */
class GatewayWidgetFilesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode gateway;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void start() throws IOException {
    cluster.start(cluster.config(), Registry.verticles());
    cluster.start(host(folderWith("north-map", "north")), WidgetHost.verticles());
    cluster.start(host(folderWith("south-map", "south")), WidgetHost.verticles());
    gateway = cluster.start(cluster.config(), Gateway.verticles());
    client = WebClient.create(gateway.vertx());
    port = Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
  }

  @Test
  void eachWidgetsFilesComeFromTheHostThatServesIt() {
    for (String id : new String[] {"north-map", "south-map"}) {
      String module =
          Poll.until(WAIT, id + " registered", () -> registeredModule(id), m -> m != null);
      HttpResponse<Buffer> file =
          Poll.until(
              WAIT, id + " through the gateway", () -> get(module), r -> r.statusCode() == 200);
      assertThat(file.bodyAsString())
          .contains("// " + (id.startsWith("north") ? "north" : "south"));
      assertThat(file.getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
      assertThat(file.getHeader("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
      assertThat(file.getHeader("ETag")).isNotBlank();
    }
  }

  @Test
  void aWidgetNoHostServesIsA404NamingIt() {
    JsonObject manifest =
        new JsonObject()
            .put("tag", "x-remote")
            .put("label", "Remote")
            .put("module", "https://cdn.example/remote.js")
            .put("version", "1.0.0")
            .put("owner", "t")
            .put("domain", "d")
            .put("domainKind", "aggregate");
    assertThat(
            await(client.put(port, "127.0.0.1", "/api/widgets/remote").sendJsonObject(manifest))
                .statusCode())
        .isEqualTo(201);

    for (String path : new String[] {"/w/remote/remote.js", "/w/nobody/x.js", "/w/"}) {
      HttpResponse<Buffer> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getString("message"))
          .as(path)
          .contains("No widget-host serves");
    }
  }

  @Test
  void aPathThatClimbsOutOfTheWidgetFilesIsA404WithAMessage() {
    // the first one was found by the reliability suite's fuzzer: vertx-web's StaticHandler failed
    // on it with a 500
    for (String path :
        new String[] {"/w/%2e%2e/..%5c", "/w/..%5c..%5cetc/passwd", "/app/%2e%2e/..%5c%5c"}) {
      HttpResponse<Buffer> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getString("message")).as(path).isNotBlank();
    }
  }

  private static MeshConfig host(Path folder) {
    return cluster.widgetHost(folder, false);
  }

  private static Path folderWith(String id, String marker) throws IOException {
    Path root = Files.createTempDirectory("mesh-gateway-widgets");
    Path folder = Files.createDirectories(root.resolve(id));
    Files.writeString(
        folder.resolve("map.js"),
        "customElements.define('x-" + id + "', class extends HTMLElement {}); // " + marker);
    Files.writeString(
        folder.resolve("manifest.json"),
        new JsonObject()
            .put("tag", "x-" + id)
            .put("label", id)
            .put("module", "map.js")
            .put("version", "1.0.0")
            .put("owner", "maps")
            .put("domain", "geo")
            .put("domainKind", "source-aligned")
            .encode());
    return root;
  }

  private static String registeredModule(String id) {
    HttpResponse<Buffer> response = get("/api/widgets/" + id);
    return response.statusCode() == 200
        ? response.bodyAsJsonObject().getJsonObject("manifest").getString("module")
        : null;
  }

  private static HttpResponse<Buffer> get(String path) {
    return await(client.get(port, "127.0.0.1", path).send());
  }
}
