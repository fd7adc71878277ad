package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshNode;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;

/**
 * An HTTP client of one registry member, as a widget author or sidecar would use it: its own plain
 * (non-clustered) Vert.x, the port found from the member's discovery record, blocking calls.
 */
final class RegistryClient implements AutoCloseable {

  /** The token the test registries are configured with. */
  static final String TOKEN = "secret";

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx);
  private final int port;

  private RegistryClient(int port) {
    this.port = port;
  }

  static RegistryClient of(MeshNode node) {
    return new RegistryClient(Endpoints.httpPort(node, RegistryApiVerticle.SERVICE_NAME));
  }

  int port() {
    return port;
  }

  /** Any request; {@code token} null sends no Authorization header, {@code body} null no body. */
  HttpResponse<Buffer> send(HttpMethod method, String uri, String token, Buffer body) {
    HttpRequest<Buffer> request = web.request(method, port, "127.0.0.1", uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.putHeader("Content-Type", "application/json");
    }
    return TestCluster.await(body == null ? request.send() : request.sendBuffer(body));
  }

  /** A request with a raw Authorization header (or none when null). */
  HttpResponse<Buffer> sendWithAuthorization(
      HttpMethod method, String uri, String authorization, Buffer body) {
    HttpRequest<Buffer> request = web.request(method, port, "127.0.0.1", uri);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return TestCluster.await(body == null ? request.send() : request.sendBuffer(body));
  }

  HttpResponse<Buffer> get(String uri) {
    return send(HttpMethod.GET, uri, null, null);
  }

  HttpResponse<Buffer> put(String id, JsonObject manifest) {
    return send(HttpMethod.PUT, "/api/widgets/" + id, TOKEN, manifest.toBuffer());
  }

  HttpResponse<Buffer> delete(String id) {
    return send(HttpMethod.DELETE, "/api/widgets/" + id, TOKEN, null);
  }

  HttpResponse<Buffer> heartbeat(String id) {
    return send(HttpMethod.POST, "/api/widgets/" + id + "/heartbeat", TOKEN, null);
  }

  HttpResponse<Buffer> v1Register(String id, JsonObject body) {
    return send(HttpMethod.POST, "/api/v1/registry/" + id, TOKEN, body.toBuffer());
  }

  /** PUT that must succeed (201 or 200); returns the widget view. */
  JsonObject register(JsonObject manifest) {
    HttpResponse<Buffer> response = put(manifest.getString("id"), manifest);
    assertThat(response.statusCode())
        .as("PUT %s: %s", manifest.getString("id"), response.bodyAsString())
        .isIn(200, 201);
    return response.bodyAsJsonObject();
  }

  /** {@code GET /api/widgets[?query]}, which must answer 200. */
  JsonObject list(String query) {
    HttpResponse<Buffer> response =
        get("/api/widgets" + (query == null || query.isEmpty() ? "" : "?" + query));
    assertThat(response.statusCode()).as("list: %s", response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  JsonObject list() {
    return list(null);
  }

  /** Ids of the widgets listed, in the order listed. */
  List<String> ids(String query) {
    return ids(list(query));
  }

  List<String> ids() {
    return ids(list());
  }

  static List<String> ids(JsonObject list) {
    return list.getJsonArray("widgets").stream()
        .map(w -> ((JsonObject) w).getString("id"))
        .toList();
  }

  /** The widget's view, or null when GET answers 404. */
  JsonObject widget(String id) {
    HttpResponse<Buffer> response = get("/api/widgets/" + id);
    if (response.statusCode() == 404) {
      return null;
    }
    assertThat(response.statusCode()).as("GET %s: %s", id, response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** {@code GET /api/v1/registry}, which must answer 200. */
  JsonArray v1List() {
    HttpResponse<Buffer> response = get("/api/v1/registry");
    assertThat(response.statusCode()).as("v1 list: %s", response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonArray();
  }

  @Override
  public void close() {
    web.close();
    TestCluster.await(vertx.close());
  }
}
