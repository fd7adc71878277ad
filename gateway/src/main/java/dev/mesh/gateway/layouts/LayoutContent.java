package dev.mesh.gateway.layouts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The few things the server reads from a layout's content and names. The content's shape is checked
 * by the OpenAPI contract before it gets here; what a schema cannot say (a name of spaces only) is
 * checked here.
 */
final class LayoutContent {

  static final String COMPONENT_TYPE = "mesh-widget";
  static final int MAX_NAME = 120;

  private LayoutContent() {}

  /** The widget ids the windows show, in order of first appearance; unknown ones included. */
  static List<String> widgets(JsonObject content) {
    Set<String> widgets = new LinkedHashSet<>();
    JsonObject config = content.getJsonObject("config");
    collect(config.getValue("root"), widgets);
    if (config.getValue("openPopouts") instanceof JsonArray popouts) {
      for (Object popout : popouts) {
        if (popout instanceof JsonObject window) {
          collect(window.getValue("root"), widgets);
        }
      }
    }
    return new ArrayList<>(widgets);
  }

  private static void collect(Object item, Set<String> widgets) {
    if (!(item instanceof JsonObject object)) {
      return;
    }
    if (COMPONENT_TYPE.equals(object.getValue("componentType"))
        && object.getValue("componentState") instanceof JsonObject state
        && state.getValue("widget") instanceof String widget) {
      widgets.add(widget);
    }
    if (object.getValue("content") instanceof JsonArray children) {
      children.forEach(child -> collect(child, widgets));
    }
  }

  /** A name as stored: trimmed, and not empty once trimmed. */
  static String name(String raw, String field) {
    String name = raw.strip();
    if (name.isEmpty()) {
      throw LayoutRefusal.badField(field, "must not be empty or blank");
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME) {
      throw LayoutRefusal.badField(field, "must be at most " + MAX_NAME + " characters long");
    }
    return name;
  }

  /** The default name of a clone, shortened to fit. */
  static String copyName(String original) {
    String name = "Copy of " + original;
    return name.codePointCount(0, name.length()) <= MAX_NAME
        ? name
        : name.substring(0, name.offsetByCodePoints(0, MAX_NAME - 1)).strip() + "…";
  }
}
