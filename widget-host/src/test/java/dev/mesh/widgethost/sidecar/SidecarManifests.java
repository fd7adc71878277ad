package dev.mesh.widgethost.sidecar;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Manifests of widgets served by a neighbour container, and the files a sidecar reads them from.
 */
final class SidecarManifests {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private SidecarManifests() {}

  /** A fresh id, unique in this JVM (the registry outlives single tests). */
  static String id(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet();
  }

  /** A valid manifest whose files are on the neighbour's public address. */
  static JsonObject manifest(String id) {
    return new JsonObject()
        .put("id", id)
        .put("tag", "team-" + id)
        .put("label", "Widget " + id)
        .put("module", "https://orders.example.com/widgets/" + id + ".js")
        .put("version", "1.0.0")
        .put("owner", "orders-team")
        .put("domain", "orders")
        .put("domainKind", "source-aligned");
  }

  /** Writes {@code content} as a ConfigMap update does: a new file moved into place. */
  static Path write(Path file, String content) {
    try {
      Path next = Files.createTempFile(file.toAbsolutePath().getParent(), ".next-", ".json");
      Files.writeString(next, content);
      return Files.move(
          next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file holding the array of {@code manifests}. */
  static Path write(Path file, JsonObject... manifests) {
    JsonArray array = new JsonArray();
    for (JsonObject manifest : manifests) {
      array.add(manifest);
    }
    return write(file, array.encodePrettily());
  }
}
