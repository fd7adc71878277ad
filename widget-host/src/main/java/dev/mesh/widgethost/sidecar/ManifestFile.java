package dev.mesh.widgethost.sidecar;

import dev.mesh.common.Contract;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file named by {@code MESH_SIDECAR_MANIFEST}: one widget manifest, or an array of them, each
 * valid against the manifest contract. Every problem is an {@link IllegalArgumentException} whose
 * message names the file and says what to fix, so it can be the one line a failed start logs.
 */
final class ManifestFile {

  private static final Contract CONTRACT = Contract.load(Contract.WIDGET_MANIFEST);
  private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

  private final String path;
  private String stamp;

  private ManifestFile(String path) {
    this.path = path;
  }

  static ManifestFile of(MeshConfig settings) {
    if (!settings.isSet(Setting.SIDECAR_MANIFEST)) {
      throw new IllegalArgumentException(
          Setting.SIDECAR_MANIFEST.key()
              + " is not set: in sidecar mode it names the JSON file of the widget manifest(s) to register");
    }
    return new ManifestFile(settings.string(Setting.SIDECAR_MANIFEST));
  }

  String path() {
    return path;
  }

  /** The manifests by id, in the file's order. */
  Future<Map<String, JsonObject>> read(Vertx vertx) {
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props -> {
              stamp = stamp(props);
              return vertx.fileSystem().readFile(path);
            })
        .recover(e -> Future.failedFuture(problem(unreadable(e))))
        .map(this::parse);
  }

  /**
   * Whether the file looks different (time or size) since the last look. A missing file counts as a
   * change once, so that its loss is reported once, not every second.
   */
  Future<Boolean> changed(Vertx vertx) {
    return vertx
        .fileSystem()
        .props(path)
        .map(ManifestFile::stamp)
        .otherwise("missing")
        .map(
            now -> {
              boolean changed = !now.equals(stamp);
              stamp = now;
              return changed;
            });
  }

  private static String stamp(FileProps props) {
    return props.lastModifiedTime() + "/" + props.size();
  }

  Map<String, JsonObject> parse(Buffer content) {
    if (content.toString().isBlank()) {
      throw problem("is empty: it must hold a manifest object or an array of them");
    }
    Object json;
    try {
      json = Json.decodeValue(content);
    } catch (DecodeException e) {
      throw problem("is not valid JSON: " + parserMessage(e.getMessage()));
    }
    JsonArray items;
    if (json instanceof JsonObject object) {
      items = new JsonArray().add(object);
    } else if (json instanceof JsonArray array) {
      items = array;
      if (items.isEmpty()) {
        throw problem("holds an empty array: list at least one widget manifest");
      }
    } else {
      throw problem(
          "must hold a manifest object or an array of them, not "
              + (json == null ? "null" : "a JSON " + json.getClass().getSimpleName()));
    }
    Map<String, JsonObject> manifests = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.getValue(i);
      String which =
          items.size() == 1 ? ": the manifest" : ": manifest " + (i + 1) + " of " + items.size();
      if (!(item instanceof JsonObject manifest)) {
        throw problem(which + " is not a JSON object");
      }
      JsonArray problems = CONTRACT.problems(manifest);
      if (!problems.isEmpty()) {
        String id = manifest.getValue("id") instanceof String s ? " (id '" + s + "')" : "";
        throw problem(which + id + " is invalid: " + Contract.describe(problems));
      }
      if (manifests.put(manifest.getString("id"), manifest) != null) {
        throw problem("names the widget id '" + manifest.getString("id") + "' twice");
      }
    }
    return Collections.unmodifiableMap(manifests);
  }

  /**
   * The parser's reason and where, without its notes about sources: "Unexpected character ('}'
   * (code 125)): was expecting double-quote to start field name at line 1, column 8".
   */
  private static String parserMessage(String message) {
    if (message == null) {
      return "unreadable";
    }
    String reason = message.lines().findFirst().orElse(message);
    int note = reason.indexOf(" (start marker at");
    reason = note > 0 ? reason.substring(0, note) : reason;
    Matcher at = LOCATION.matcher(message);
    String where = null;
    while (at.find()) {
      where = " at line " + at.group(1) + ", column " + at.group(2);
    }
    return where == null ? reason : reason + where;
  }

  private static String unreadable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NoSuchFileException) {
        return "does not exist";
      }
      if (cause instanceof AccessDeniedException) {
        return "cannot be read: permission denied";
      }
    }
    return "cannot be read: " + e.getMessage();
  }

  private IllegalArgumentException problem(String what) {
    String file = Setting.SIDECAR_MANIFEST.key() + " file '" + path + "'";
    return new IllegalArgumentException(what.startsWith(":") ? file + what : file + " " + what);
  }
}
