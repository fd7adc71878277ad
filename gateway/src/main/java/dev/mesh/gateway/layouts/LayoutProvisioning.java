package dev.mesh.gateway.layouts;

import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Layouts from files ({@code MESH_LAYOUTS_DIR}, e.g. the Helm chart's ConfigMap): each {@code
 * *.json} export document becomes a layout that everybody can open and clone and nobody can change,
 * kept by file name so that restarts update it instead of adding another. A broken file is skipped
 * with one log line naming it and its problem; the other files are provisioned all the same.
 */
final class LayoutProvisioning {

  private static final System.Logger LOG = System.getLogger(LayoutProvisioning.class.getName());

  private LayoutProvisioning() {}

  /** A file of the folder: its bytes, or why they could not be read. */
  private record Found(String file, Buffer bytes, String problem) {}

  static Future<Void> run(
      Vertx vertx, Path folder, int maxBytes, LayoutRequests requests, LayoutStore store) {
    return vertx
        .executeBlocking(() -> read(folder, maxBytes), false)
        .compose(
            found -> {
              if (found == null) {
                return Future.succeededFuture();
              }
              Set<String> present = new LinkedHashSet<>();
              List<Future<LayoutStore.ProvisionedFile>> checks = new ArrayList<>();
              for (Found file : found) {
                present.add(file.file());
                if (file.problem() != null) {
                  skip(folder, file.file(), file.problem());
                  continue;
                }
                checks.add(
                    requests
                        .checkExportDocument(file.bytes())
                        .map(v -> document(file))
                        .otherwise(
                            problem -> {
                              skip(folder, file.file(), problem.getMessage());
                              return null;
                            }));
              }
              return Future.join(checks)
                  .compose(
                      all -> {
                        List<LayoutStore.ProvisionedFile> good =
                            checks.stream().map(Future::result).filter(f -> f != null).toList();
                        return store.provision(good, present);
                      })
                  .map(
                      report -> {
                        report.forEach(
                            line ->
                                LOG.log(
                                    System.Logger.Level.INFO,
                                    "Provisioned layout " + folder.resolve(line)));
                        return null;
                      });
            });
  }

  private static LayoutStore.ProvisionedFile document(Found file) {
    JsonObject document = file.bytes().toJsonObject();
    return new LayoutStore.ProvisionedFile(
        file.file(),
        LayoutContent.name(document.getString("name"), "/name"),
        document.getString("description", ""),
        document.getJsonObject("content"));
  }

  /**
   * The folder's layout files, sorted; null when the folder is missing (then nothing is touched).
   */
  private static List<Found> read(Path folder, int maxBytes) throws IOException {
    if (!Files.isDirectory(folder)) {
      LOG.log(
          System.Logger.Level.WARNING,
          Setting.LAYOUTS_DIR.key()
              + " names "
              + folder.toAbsolutePath()
              + ", which is not a folder: no layouts provisioned, provisioned ones kept");
      return null;
    }
    List<Found> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path path : files.sorted().toList()) {
        String name = path.getFileName().toString();
        // Kubernetes mounts a ConfigMap with hidden ..data folders and links: only visible *.json
        // files count
        if (name.startsWith(".") || !name.endsWith(".json") || !Files.isRegularFile(path)) {
          continue;
        }
        if (name.length() > 255) {
          found.add(
              new Found(
                  name.substring(0, 255), null, "the file name is longer than 255 characters"));
          continue;
        }
        try {
          long size = Files.size(path);
          if (size > maxBytes) {
            found.add(
                new Found(
                    name,
                    null,
                    "it has "
                        + size
                        + " bytes, more than the limit of "
                        + maxBytes
                        + " ("
                        + Setting.LAYOUT_MAX_BYTES.key()
                        + ")"));
          } else if (size == 0) {
            found.add(new Found(name, null, "it is empty"));
          } else {
            Buffer bytes = Buffer.buffer(Files.readAllBytes(path));
            found.add(new Found(name, bytes, notJson(bytes)));
          }
        } catch (IOException e) {
          found.add(new Found(name, null, "it cannot be read: " + e.getMessage()));
        }
      }
    }
    return found;
  }

  /** Why the bytes are not a JSON object, or null when they are one. */
  private static String notJson(Buffer bytes) {
    try {
      Object value = Json.decodeValue(bytes);
      return value instanceof JsonObject
          ? null
          : "it holds JSON, but not an object (an export document)";
    } catch (DecodeException e) {
      String reason = String.valueOf(e.getMessage());
      int end = reason.indexOf('\n');
      return "it is not valid JSON: " + (end < 0 ? reason : reason.substring(0, end));
    }
  }

  private static void skip(Path folder, String file, String problem) {
    LOG.log(
        System.Logger.Level.WARNING,
        "Layout file " + folder.resolve(file) + " skipped: " + problem);
  }
}
