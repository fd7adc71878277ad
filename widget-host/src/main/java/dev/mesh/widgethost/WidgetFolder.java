package dev.mesh.widgethost;

import dev.mesh.common.Contract;
import dev.mesh.common.UrlPaths;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reading one widget folder: a {@code manifest.json}, the ES module it names and whatever else the
 * widget needs (CSS, data, images). Blocking file work, run on a worker.
 *
 * <p>Only regular files are served: hidden files (a leading dot anywhere in the path) and symbolic
 * links are left out, so a link can never expose a file from outside the folder.
 */
final class WidgetFolder {

  static final String MANIFEST = "manifest.json";
  static final int MAX_FILES = 2000;
  static final long MAX_BYTES = 64L * 1024 * 1024;
  private static final int MAX_DEPTH = 16;
  private static final Contract MANIFEST_CONTRACT = Contract.load(Contract.WIDGET_MANIFEST);
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  private static final Pattern ABSOLUTE =
      Pattern.compile("^(https?://|/).*", Pattern.CASE_INSENSITIVE);
  private static final String[] URL_FIELDS = {"module", "css", "icon"};

  private WidgetFolder() {}

  /** What a folder yields: a widget to serve, or the reason it is skipped. */
  record Result(HostedWidget widget, SkippedFolder skipped) {}

  /**
   * A cheap summary of the folder (each file's path, size and modification time) that changes
   * whenever a file is added, removed or rewritten, so a scan reads and hashes only changed
   * folders.
   */
  static List<String> signature(Path folder) {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder, MAX_DEPTH)) {
      files
          .filter(file -> servable(folder, file))
          .limit(MAX_FILES + 1L)
          .forEach(
              file -> {
                try {
                  BasicFileAttributes attributes =
                      Files.readAttributes(
                          file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                  entries.add(
                      relative(folder, file)
                          + '|'
                          + attributes.size()
                          + '|'
                          + attributes.lastModifiedTime().toMillis());
                } catch (IOException e) {
                  entries.add(relative(folder, file) + "|gone");
                }
              });
    } catch (IOException | UncheckedIOException e) {
      entries.add("|unreadable|" + e.getMessage());
    }
    entries.sort(null);
    return entries;
  }

  /**
   * Reads the folder into a widget whose manifest URLs point at {@code
   * publicUrl/<id>/<fingerprint>/}. The id defaults to the folder's name, so a copied template
   * needs no edit to be told apart.
   */
  static Result read(Path folder, String label, String publicUrl) {
    Contents contents;
    try {
      contents = contents(folder);
    } catch (TooBig e) {
      return skipped(label, label, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return skipped(label, label, "cannot be read: " + e.getMessage());
    }
    String manifestFile = label + "/" + MANIFEST;
    Map<String, WidgetFile> files = contents.files();
    if (contents.manifest() == null) {
      return skipped(label, manifestFile, "missing: every widget folder needs a manifest.json");
    }
    JsonObject manifest;
    try {
      manifest = new JsonObject(new String(contents.manifest(), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      return skipped(label, manifestFile, "not a JSON object: " + e.getMessage());
    }
    String folderName = folder.getFileName() == null ? "" : folder.getFileName().toString();
    if (!manifest.containsKey("id")) {
      if (!ID.matcher(folderName).matches()) {
        return skipped(
            label,
            manifestFile,
            "has no id, and the folder's name '"
                + folderName
                + "' cannot be one: name the folder with letters, digits, '.', '_' or '-', or set an id");
      }
      manifest.put("id", folderName);
    }
    JsonArray problems = MANIFEST_CONTRACT.problems(manifest);
    if (!problems.isEmpty()) {
      return skipped(label, manifestFile, Contract.describe(problems));
    }
    String id = manifest.getString("id");
    String fingerprint = fingerprint(files);
    String base = trimSlash(publicUrl) + "/" + UrlPaths.encodeSegment(id) + "/" + fingerprint + "/";
    JsonObject registered = manifest.copy();
    for (String field : URL_FIELDS) {
      String value = manifest.getString(field);
      if (value == null || ABSOLUTE.matcher(value).matches()) {
        continue;
      }
      String path = value.startsWith("./") ? value.substring(2) : value;
      if (files.containsKey(path)) {
        registered.put(field, base + UrlPaths.encodePath(path));
      } else if (!"icon".equals(field)) {
        return skipped(
            label,
            manifestFile,
            "/" + field + ": '" + value + "' is not a file in the widget's folder");
      }
      // an icon that is no file is text, e.g. an emoji
    }
    return new Result(
        new HostedWidget(id, label, fingerprint, registered, Map.copyOf(files)), null);
  }

  private static Result skipped(String folder, String file, String problem) {
    return new Result(null, new SkippedFolder(folder, file, problem));
  }

  /**
   * A folder's servable files, each read once to hash it, and the manifest's bytes from that same
   * read (null when there is none), so the manifest used is the one the fingerprint covers.
   */
  private record Contents(Map<String, WidgetFile> files, byte[] manifest) {}

  private static Contents contents(Path folder) throws IOException {
    byte[] manifest = null;
    Map<String, WidgetFile> files = new TreeMap<>();
    long total = 0;
    try (Stream<Path> walk = Files.walk(folder, MAX_DEPTH)) {
      for (Path file : (Iterable<Path>) walk.filter(file -> servable(folder, file))::iterator) {
        if (files.size() == MAX_FILES) {
          throw new TooBig("more than " + MAX_FILES + " files");
        }
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
          continue; // removed while we read; the next scan sees the folder as it is then
        }
        total += bytes.length;
        if (total > MAX_BYTES) {
          throw new TooBig("more than " + MAX_BYTES / (1024 * 1024) + " MiB of files");
        }
        String path = relative(folder, file);
        if (MANIFEST.equals(path)) {
          manifest = bytes;
        }
        files.put(path, WidgetFile.of(file, bytes.length, sha256(bytes), bytes));
      }
    }
    return new Contents(files, manifest);
  }

  /** Content hash of the whole widget: any change of any file gives new URLs. */
  private static String fingerprint(Map<String, WidgetFile> files) {
    StringBuilder all = new StringBuilder();
    files.forEach((path, file) -> all.append(path).append(' ').append(file.etag()).append('\n'));
    return sha256(all.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
  }

  private static boolean servable(Path folder, Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    for (Path part : folder.relativize(file)) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  static String relative(Path folder, Path file) {
    Path relative = folder.relativize(file);
    StringBuilder path = new StringBuilder();
    for (Path part : relative) {
      path.append(path.length() == 0 ? "" : "/").append(part);
    }
    return path.toString();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static final class TooBig extends IOException {
    TooBig(String message) {
      super(message, null);
    }
  }
}
