package dev.mesh.testing;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP client of a Mesh server (the gateway, a widget-host...), as a script, a browser's
 * fetch or a hostile client calls it: raw paths, raw bodies, any header. The JDK's client, so
 * nothing of Vert.x's own client shapes what is sent, and calls block. People are told apart by the
 * identity headers the gateway trusts from loopback ({@link #as(String, String)}).
 */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * An answer: status, body text and headers, and the {@code message} of a JSON error body when
   * there is one.
   */
  public record Answer(int status, String body, Map<String, List<String>> headers) {

    /** The body as a JSON object, or null when it is not one. */
    public JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        return null;
      }
    }

    /** The error's message, or null when the body is not a JSON error naming the problem. */
    public String message() {
      JsonObject json = json();
      String message = json == null ? null : json.getString("message");
      return message == null || message.isBlank() ? null : message;
    }

    public String header(String name) {
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
  private final String[] always;

  private Http(String base, String[] always) {
    this.base = base;
    this.always = always;
  }

  /** Requests to {@code base} (scheme, host and port), e.g. {@code http://127.0.0.1:8080}. */
  public Http(String base) {
    this(base, new String[0]);
  }

  /** Requests to the server on {@code port} of loopback. */
  public static Http onPort(int port) {
    return new Http("http://127.0.0.1:" + port);
  }

  /** The same server, with these headers (name, value, name, value...) on every request. */
  public Http with(String... headers) {
    return new Http(base, concat(always, headers));
  }

  /**
   * The same server, as {@code user} of {@code groups} (comma-separated; none when empty) in the
   * headers of an authenticating proxy.
   */
  public Http as(String user, String groups) {
    return groups.isEmpty()
        ? with("X-Forwarded-User", user)
        : with("X-Forwarded-User", user, "X-Forwarded-Groups", groups);
  }

  public Answer get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, null, headers);
  }

  /** The status of a GET, or -1 when nothing answers (yet): for waiting until a server is up. */
  public int status(String pathAndQuery) {
    try {
      return get(pathAndQuery).status();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  /** Sends {@code body} as JSON (no body when null). */
  public Answer sendJson(String method, String pathAndQuery, JsonObject body, String... headers) {
    return body == null
        ? send(method, pathAndQuery, null, headers)
        : send(
            method,
            pathAndQuery,
            body.encode().getBytes(StandardCharsets.UTF_8),
            concat(new String[] {"Content-Type", "application/json"}, headers));
  }

  /**
   * Sends {@code body} (none when null) to {@code pathAndQuery}, which is used as written: a
   * fuzzer's path may be anything a client can put on the request line.
   */
  public Answer send(String method, String pathAndQuery, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    String[] all = concat(always, headers);
    for (int i = 0; i + 1 < all.length; i += 2) {
      request.header(all[i], all[i + 1]);
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

  /**
   * Sends {@code body} as JSON and fails unless the answer is {@code status}; the answer's JSON
   * object (an empty one when there is none).
   */
  public JsonObject expect(
      int status, String method, String pathAndQuery, JsonObject body, String... headers) {
    Answer answer = sendJson(method, pathAndQuery, body, headers);
    if (answer.status() != status) {
      throw new AssertionError(
          method
              + " "
              + pathAndQuery
              + " "
              + Arrays.toString(concat(always, headers))
              + ": expected "
              + status
              + ", got "
              + answer);
    }
    JsonObject json = answer.json();
    return json == null ? new JsonObject() : json;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
