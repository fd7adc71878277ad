package dev.mesh.widgethost;

import io.vertx.core.buffer.Buffer;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * One file of a widget as it was when its folder was read: where it is, its strong ETag (from its
 * SHA-256) and content type. Files inside a jar (the built-in examples) are kept in memory, since
 * the HTTP server can only send files from the disk; folder files are sent from the disk.
 */
record WidgetFile(Path path, long size, String etag, String contentType, Buffer content) {

  static WidgetFile of(Path path, long size, String sha256, byte[] bytes) {
    boolean onDisk = path.getFileSystem() == FileSystems.getDefault();
    return new WidgetFile(
        path,
        size,
        "\"" + sha256.substring(0, 32) + "\"",
        ContentTypes.of(path.getFileName().toString()),
        onDisk ? null : Buffer.buffer(bytes));
  }

  boolean inMemory() {
    return content != null;
  }
}
