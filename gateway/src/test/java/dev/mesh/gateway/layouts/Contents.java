package dev.mesh.gateway.layouts;

import dev.mesh.testing.Layouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Layout contents as the dashboard saves them: golden-layout's resolved config with mesh-widget
 * windows.
 */
final class Contents {

  private Contents() {}

  /** A row of windows, one per widget id, left to right. */
  static JsonObject row(String... widgets) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < widgets.length; i++) {
      items.add(window("frame-" + i, widgets[i]));
    }
    return content(new JsonObject().put("type", "row").put("content", items));
  }

  static JsonObject content(JsonObject root) {
    return new JsonObject()
        .put(
            "config",
            new JsonObject()
                .put("resolved", true)
                .put("root", root)
                .put("openPopouts", new JsonArray())
                .put("settings", new JsonObject().put("popoutWholeStack", false))
                .put("dimensions", new JsonObject().put("headerHeight", 30)));
  }

  static JsonObject window(String frame, String widget) {
    return Layouts.window(frame, widget, new JsonObject().put("region", "emea")).put("id", frame);
  }
}
