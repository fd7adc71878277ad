package dev.mesh.gateway.layouts;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** One HTTP answer, read whole. */
record Reply(int status, MultiMap headers, Buffer body) {

  JsonObject json() {
    return body == null || body.length() == 0 ? null : body.toJsonObject();
  }

  String header(String name) {
    return headers.get(name);
  }

  String message() {
    JsonObject json = json();
    return json == null ? null : json.getString("message");
  }

  @Override
  public String toString() {
    return status + " " + (body == null ? "" : body.toString());
  }
}
