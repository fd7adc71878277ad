package dev.mesh.gateway.layouts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The layouts API as one person calls it, for the browser tests' set-up and for checking what the
 * server holds after the page did something: identity by the trusted headers the gateway honours
 * from loopback.
 */
final class LayoutsHttp {

  /** A status and the JSON body (an empty object when there is none). */
  record Answer(int status, JsonObject body) {}

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final String base;
  private final String user;
  private final String groups;

  LayoutsHttp(String base, String user, String groups) {
    this.base = base;
    this.user = user;
    this.groups = groups;
  }

  Answer call(String method, String path, JsonObject body, Integer ifMatch) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("X-Forwarded-User", user)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (!groups.isEmpty()) {
      request.header("X-Forwarded-Groups", groups);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (ifMatch != null) {
      request.header("If-Match", "\"" + ifMatch + "\"");
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      return new Answer(
          response.statusCode(),
          text == null || text.isBlank() || !text.trim().startsWith("{")
              ? new JsonObject()
              : new JsonObject(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Calls and fails unless the answer is {@code status}. */
  JsonObject expect(int status, String method, String path, JsonObject body, Integer ifMatch) {
    Answer answer = call(method, path, body, ifMatch);
    if (answer.status() != status) {
      throw new AssertionError(
          method
              + " "
              + path
              + " as "
              + user
              + ": expected "
              + status
              + ", got "
              + answer.status()
              + " "
              + answer.body());
    }
    return answer.body();
  }

  JsonObject create(String name, JsonObject config) {
    return expect(
        201,
        "POST",
        "/api/layouts",
        new JsonObject().put("name", name).put("content", new JsonObject().put("config", config)),
        null);
  }

  JsonObject get(String id) {
    return expect(200, "GET", "/api/layouts/" + id, null, null);
  }

  JsonObject update(String id, int version, JsonObject changes) {
    return expect(200, "PUT", "/api/layouts/" + id, changes, version);
  }

  void share(String id, JsonArray shares, JsonObject link) {
    expect(
        200,
        "PUT",
        "/api/layouts/" + id + "/shares",
        new JsonObject().put("shares", shares).put("link", link),
        null);
  }

  /** A golden-layout config (as a person would write it, not resolved) of one row of windows. */
  static JsonObject row(String... widgets) {
    JsonArray content = new JsonArray();
    for (String widget : widgets) {
      content.add(window(widget));
    }
    return new JsonObject()
        .put("root", new JsonObject().put("type", "row").put("content", content));
  }

  static JsonObject window(String widget) {
    return new JsonObject()
        .put("type", "component")
        .put("componentType", "mesh-widget")
        .put("title", widget)
        .put(
            "componentState",
            new JsonObject()
                .put("frame", "f-" + widget)
                .put("widget", widget)
                .put("attributes", new JsonObject()));
  }

  static JsonObject shareWith(String kind, String name, String role) {
    return new JsonObject().put("kind", kind).put("name", name).put("role", role);
  }
}
