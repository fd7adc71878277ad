package dev.mesh.gateway.layouts;

import static dev.mesh.testing.TestCluster.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

/**
 * Somebody calling the gateway: a user with groups, sent in the identity headers as an
 * authenticating proxy would (or no headers at all, for the local user).
 */
record Caller(WebClient client, String host, int port, MultiMap headers) {

  Reply get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  Reply post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body == null ? null : body.toBuffer(), null);
  }

  Reply put(String path, JsonObject body, String ifMatch) {
    return send(HttpMethod.PUT, path, body.toBuffer(), ifMatch);
  }

  Reply delete(String path, String ifMatch) {
    return send(HttpMethod.DELETE, path, null, ifMatch);
  }

  Reply send(HttpMethod method, String path, Buffer body, String ifMatch) {
    return send(method, path, body, ifMatch, "application/json");
  }

  Reply send(HttpMethod method, String path, Buffer body, String ifMatch, String contentType) {
    return await(request(method, path, body, ifMatch, contentType));
  }

  /** The request without waiting for its answer: for saves racing each other. */
  Future<Reply> request(
      HttpMethod method, String path, Buffer body, String ifMatch, String contentType) {
    HttpRequest<Buffer> request = client.request(method, port, host, path).putHeaders(headers);
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    if (body != null) {
      request.putHeader("Content-Type", contentType);
    }
    return (body == null ? request.send() : request.sendBuffer(body))
        .map(response -> new Reply(response.statusCode(), response.headers(), response.body()));
  }

  // ---- the layouts API in a person's words

  /** Creates a layout and returns it; fails the test unless it was created. */
  JsonObject create(String name, JsonObject content) {
    Reply reply = post("/api/layouts", new JsonObject().put("name", name).put("content", content));
    if (reply.status() != 201) {
      throw new AssertionError("create " + name + ": " + reply);
    }
    return reply.json();
  }

  JsonObject layout(String id) {
    Reply reply = get("/api/layouts/" + id);
    if (reply.status() != 200) {
      throw new AssertionError("get " + id + ": " + reply);
    }
    return reply.json();
  }
}
