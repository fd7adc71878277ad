package dev.mesh.widgethost;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A widget this host serves: its files by path relative to its folder, the fingerprint of their
 * content (part of every URL, so browsers may cache them for good), and the manifest as registered,
 * with its relative URLs turned into versioned ones.
 *
 * @param folder where it was read from, for log lines and the host's status page
 */
record HostedWidget(
    String id,
    String folder,
    String fingerprint,
    JsonObject manifest,
    Map<String, WidgetFile> files) {

  JsonObject describe() {
    return new JsonObject()
        .put("id", id)
        .put("folder", folder)
        .put("fingerprint", fingerprint)
        .put("files", files.size())
        .put("manifest", manifest.copy());
  }
}
