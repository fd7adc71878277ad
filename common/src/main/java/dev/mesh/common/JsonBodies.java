package dev.mesh.common;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body that must be one JSON object, answering 400 with the reason when it is not.
 */
public final class JsonBodies {

  private JsonBodies() {}

  /** The body as an object, or null after a 400 has been sent. */
  public static JsonObject object(RoutingContext ctx, String what) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      HttpErrors.send(ctx, 400, "The request has no body: send " + what + " as a JSON object");
      return null;
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      HttpErrors.send(ctx, 400, "The body is not valid JSON: " + firstLine(e.getMessage()));
      return null;
    }
    if (!(parsed instanceof JsonObject object)) {
      HttpErrors.send(
          ctx, 400, "The body must be a JSON object (" + what + "), not " + kind(parsed));
      return null;
    }
    return object;
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof io.vertx.core.json.JsonArray) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
