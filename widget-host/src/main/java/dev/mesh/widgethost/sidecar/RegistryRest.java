package dev.mesh.widgethost.sidecar;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The registry's REST API as a sidecar uses it ({@code
 * registry/src/main/resources/openapi/registry.yaml}): register, heartbeat, remove, each with the
 * bearer token and time-outs. A request that got an answer succeeds whatever its status; only a
 * registry that could not be reached (or did not answer in time) fails the future.
 */
final class RegistryRest {

  static final long CONNECT_TIMEOUT_MS = 2_000;

  /** No answer within this time and the attempt counts as "registry unreachable". */
  static final long REQUEST_TIMEOUT_MS = 5_000;

  /**
   * What the registry answered; {@code message} is its error message, or a summary of a non-JSON
   * answer.
   */
  record Answer(int status, JsonObject body, String message, long retryAfterMillis) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** "401 The bearer token is not valid" */
    String summary() {
      return status + " " + message;
    }
  }

  private final WebClient web;
  private final String base;
  private final String token;

  private RegistryRest(WebClient web, String base, String token) {
    this.web = web;
    this.base = base;
    this.token = token;
  }

  static RegistryRest create(Vertx vertx, MeshConfig settings) {
    String url = settings.string(Setting.REGISTRY_URL);
    if (!validBase(url)) {
      throw new IllegalArgumentException(
          Setting.REGISTRY_URL.key()
              + " must be the http(s) base URL of the registry's REST API, such as http://mesh-gateway:8080, got '"
              + url
              + "'");
    }
    WebClient web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) CONNECT_TIMEOUT_MS)
                .setUserAgent("mesh-widget-host-sidecar"));
    String token =
        settings.isSet(Setting.REGISTRY_TOKEN) ? settings.string(Setting.REGISTRY_TOKEN) : null;
    return new RegistryRest(web, url.replaceAll("/+$", ""), token);
  }

  private static boolean validBase(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  String url() {
    return base;
  }

  Future<Answer> register(String id, JsonObject manifest) {
    return send(HttpMethod.PUT, "/api/widgets/" + id, manifest.toBuffer());
  }

  Future<Answer> heartbeat(String id) {
    return send(HttpMethod.POST, "/api/widgets/" + id + "/heartbeat", null);
  }

  Future<Answer> remove(String id) {
    return send(HttpMethod.DELETE, "/api/widgets/" + id, null);
  }

  void close() {
    web.close();
  }

  private Future<Answer> send(HttpMethod method, String path, Buffer body) {
    // ids are limited to letters, digits, '.', '_' and '-' by the manifest contract: nothing to
    // escape
    HttpRequest<Buffer> request = web.requestAbs(method, base + path).timeout(REQUEST_TIMEOUT_MS);
    if (token != null) {
      request.putHeader(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + token);
    }
    Future<HttpResponse<Buffer>> sent =
        body == null
            ? request.send()
            : request
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .sendBuffer(body);
    return sent.map(RegistryRest::answer);
  }

  private static Answer answer(HttpResponse<Buffer> response) {
    JsonObject body = null;
    try {
      body = response.body() == null ? null : response.bodyAsJsonObject();
    } catch (RuntimeException notJson) {
      // e.g. a proxy's HTML error page: summarised below
    }
    String message =
        body != null && body.getValue("message") instanceof String text ? text : plain(response);
    return new Answer(
        response.statusCode(), body, message, retryAfterMillis(response.getHeader("Retry-After")));
  }

  /**
   * An answer that is not one of the registry's JSON errors, probably not from the registry at all.
   */
  private static String plain(HttpResponse<Buffer> response) {
    String text =
        response.body() == null ? "" : response.bodyAsString().replaceAll("\\s+", " ").trim();
    String reason = response.statusMessage() == null ? "" : response.statusMessage();
    if (text.isEmpty()) {
      return reason.isEmpty() ? "(no message)" : reason;
    }
    return (reason.isEmpty() ? "" : reason + ": ")
        + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
  }

  private static long retryAfterMillis(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim())) * 1000;
    } catch (NumberFormatException httpDate) {
      return 0;
    }
  }
}
