package dev.mesh.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Bodies of the gateway's layouts API as a person or the dashboard sends them: golden-layout
 * configs with mesh-widget windows, layout contents, shares.
 */
public final class Layouts {

  private Layouts() {}

  /** A window of {@code widget} (frame {@code f-<widget>}, no attributes). */
  public static JsonObject window(String widget) {
    return window("f-" + widget, widget, new JsonObject());
  }

  /** A window of {@code widget} in frame {@code frame}, with the widget's attributes. */
  public static JsonObject window(String frame, String widget, JsonObject attributes) {
    return new JsonObject()
        .put("type", "component")
        .put("componentType", "mesh-widget")
        .put("title", widget)
        .put(
            "componentState",
            new JsonObject()
                .put("frame", frame)
                .put("widget", widget)
                .put("attributes", attributes));
  }

  /**
   * A golden-layout config (as a person would write it, not resolved) of one row of windows, one
   * per widget, left to right.
   */
  public static JsonObject row(String... widgets) {
    JsonArray windows = new JsonArray();
    for (String widget : widgets) {
      windows.add(window(widget));
    }
    return row(windows);
  }

  /** A golden-layout config of one row of these windows. */
  public static JsonObject row(JsonArray windows) {
    return new JsonObject()
        .put("root", new JsonObject().put("type", "row").put("content", windows));
  }

  /** A layout's content: the dashboard's golden-layout config. */
  public static JsonObject content(JsonObject config) {
    return new JsonObject().put("config", config);
  }

  /** The body creating a layout of this name and content. */
  public static JsonObject layout(String name, JsonObject content) {
    return new JsonObject().put("name", name).put("content", content);
  }

  /** One share: {@code kind} user or group, {@code role} viewer or editor. */
  public static JsonObject share(String kind, String name, String role) {
    return new JsonObject().put("kind", kind).put("name", name).put("role", role);
  }

  /** The body of {@code PUT /api/layouts/{id}/shares}; no link when {@code link} is null. */
  public static JsonObject shares(JsonObject link, JsonObject... shares) {
    JsonArray all = new JsonArray();
    for (JsonObject share : shares) {
      all.add(share);
    }
    JsonObject body = new JsonObject().put("shares", all);
    return link == null ? body : body.put("link", link);
  }
}
