package dev.mesh.widgethost.sidecar;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files a sidecar reads its manifests from (the manifests: {@link
 * dev.mesh.testing.TestManifests}), written as a ConfigMap update writes them.
 */
final class SidecarManifests {

  private SidecarManifests() {}

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
