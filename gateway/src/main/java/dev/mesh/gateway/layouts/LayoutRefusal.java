package dev.mesh.gateway.layouts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A request the layouts API turns down with a reason: it carries the HTTP status, the message for
 * the person and any extra fields of the answer (the current layout of a 409). The transaction it
 * is thrown in rolls back, so a refusal never leaves anything stored.
 */
final class LayoutRefusal extends RuntimeException {

  private final int status;
  private final JsonObject extra;

  private LayoutRefusal(int status, String message, JsonObject extra) {
    super(message, null, false, false);
    this.status = status;
    this.extra = extra;
  }

  int status() {
    return status;
  }

  /** The error answer: {@code {status, message, ...extra}}. */
  JsonObject toJson() {
    JsonObject body = new JsonObject().put("status", status).put("message", getMessage());
    extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }

  static LayoutRefusal badRequest(String message) {
    return new LayoutRefusal(400, message, new JsonObject());
  }

  static LayoutRefusal badField(String field, String problem) {
    return new LayoutRefusal(
        400,
        field + ": " + problem,
        new JsonObject()
            .put(
                "problems",
                new JsonArray().add(new JsonObject().put("field", field).put("problem", problem))));
  }

  /** Not there, or not visible to the caller: the two are never told apart. */
  static LayoutRefusal notFound(String message) {
    return new LayoutRefusal(404, message, new JsonObject());
  }

  static LayoutRefusal forbidden(String message) {
    return new LayoutRefusal(403, message, new JsonObject());
  }

  /** Saved by someone else since the version the change was based on. */
  static LayoutRefusal stale(String message, JsonObject current) {
    return new LayoutRefusal(
        409,
        message,
        new JsonObject()
            .put("currentVersion", current.getInteger("version"))
            .put("current", current));
  }

  static LayoutRefusal versionRequired(String message) {
    return new LayoutRefusal(428, message, new JsonObject());
  }
}
