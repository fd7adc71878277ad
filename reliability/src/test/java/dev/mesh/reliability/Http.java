package dev.mesh.reliability;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain HTTP client of the gateway, as a script or a hostile client calls it: raw paths, raw
 * bodies, any header. JDK's client, so nothing of Vert.x's own client shapes what is sent.
 */
final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * An answer: status, body text, and the {@code message} of a JSON error body when there is one.
   */
  record Answer(int status, String body, Map<String, java.util.List<String>> headers) {
    JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        return null;
      }
    }

    /** The error's message, or null when the body is not a JSON error naming the problem. */
    String message() {
      JsonObject json = json();
      String message = json == null ? null : json.getString("message");
      return message == null || message.isBlank() ? null : message;
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
  }

  private final String base;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Answer get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, null, headers);
  }

  /**
   * Sends {@code body} (none when null) to {@code pathAndQuery}, which is used as written: a
   * fuzzer's path may be anything a client can put on the request line.
   */
  Answer send(String method, String pathAndQuery, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.body() == null ? "" : response.body(),
          response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathAndQuery, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
