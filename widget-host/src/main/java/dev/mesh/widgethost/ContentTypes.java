package dev.mesh.widgethost;

import io.vertx.core.http.MimeMapping;
import java.util.Locale;
import java.util.Map;

/**
 * Content types of widget files. Browsers refuse an ES module served with anything but a JavaScript
 * type, so the types that matter for widgets are fixed here (with a charset for text); the rest
 * come from Vert.x's table.
 */
final class ContentTypes {

  private static final Map<String, String> WIDGET_TYPES =
      Map.ofEntries(
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("woff", "font/woff"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"));

  private ContentTypes() {}

  static String of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    String type = WIDGET_TYPES.get(extension);
    if (type == null) {
      type = MimeMapping.mimeTypeForExtension(extension);
    }
    return type == null ? "application/octet-stream" : type;
  }
}
