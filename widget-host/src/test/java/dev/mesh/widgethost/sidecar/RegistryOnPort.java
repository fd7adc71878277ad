package dev.mesh.widgethost.sidecar;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.registry.Registry;
import dev.mesh.testing.BusRecorder;
import dev.mesh.testing.Ports;
import dev.mesh.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * A real registry, the only member of a test cluster, on a port fixed for the whole class: it can
 * be stopped (its records are lost with the cluster's only member) and started again where a
 * sidecar keeps looking for it. With a recorder of its change feed and a REST client.
 */
final class RegistryOnPort implements AutoCloseable {

  static final String TOKEN = "sidecar-test-token";

  private final TestCluster cluster = new TestCluster();
  private final MeshConfig config;
  private final int port;
  private final Vertx clientVertx = Vertx.vertx();
  private final WebClient web = WebClient.create(clientVertx);
  private MeshNode node;
  private BusRecorder changes;

  private RegistryOnPort(int ttlSeconds) {
    // fixed for the class: a sidecar keeps looking for the registry where it was
    port = Ports.free();
    config =
        cluster
            .config()
            .with(Setting.REGISTRY_PORT, port)
            .with(Setting.REGISTRY_TOKEN, TOKEN)
            .with(Setting.REGISTRY_TTL_SECONDS, ttlSeconds);
  }

  /**
   * A registry whose REST registrations live {@code ttlSeconds} without a heartbeat, not started
   * yet.
   */
  static RegistryOnPort create(int ttlSeconds) {
    return new RegistryOnPort(ttlSeconds);
  }

  void start() {
    node = cluster.start(config, Registry.verticles());
    changes = BusRecorder.listen(node.vertx(), Addresses.REGISTRY_CHANGES);
  }

  /** Leaves the cluster; as it was the only member, every record is gone. */
  void stop() {
    changes.close();
    cluster.stop(node);
    node = null;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The change feed since the registry last started. */
  BusRecorder changes() {
    return changes;
  }

  /** The widget as the registry answers it, or null on 404. */
  JsonObject widget(String id) {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/widgets/" + id);
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + id + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** DELETE with the token, as an operator would; the status. */
  int delete(String id) {
    return send(HttpMethod.DELETE, "/api/widgets/" + id).statusCode();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri) {
    HttpRequest<Buffer> request =
        web.request(method, port, "127.0.0.1", uri)
            .putHeader("Authorization", "Bearer " + TOKEN)
            .timeout(5000);
    return TestCluster.await(request.send());
  }

  @Override
  public void close() {
    if (node != null) {
      stop();
    }
    cluster.close();
    web.close();
    TestCluster.await(clientVertx.close());
  }
}
