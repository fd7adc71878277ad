package dev.mesh.widgethost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The state of watching a folder of widget folders: what each sub-folder looked like when it was
 * last read, and what it gave. A scan re-reads only folders whose signature changed, and only once
 * the change has held still for one scan, so a folder still being copied is not read half-way.
 * Blocking; one scan at a time.
 */
final class WidgetScan {

  private static final System.Logger LOG = System.getLogger(WidgetScan.class.getName());

  private record Seen(List<String> signature, WidgetFolder.Result result) {}

  private final List<HostedWidget> fixed;
  private final Path root;
  private final String publicUrl;
  private final Map<String, Seen> seen = new TreeMap<>();
  private final Map<String, List<String>> pending = new HashMap<>();
  private boolean rootMissingNoted;

  /**
   * @param fixed widgets that never change (the built-in examples), served first
   * @param root the watched folder, or null for none
   */
  WidgetScan(List<HostedWidget> fixed, Path root, String publicUrl) {
    this.fixed = List.copyOf(fixed);
    this.root = root;
    this.publicUrl = publicUrl;
  }

  /** What a scan found: the widgets by id and the folders skipped, or null when nothing changed. */
  record Found(Map<String, HostedWidget> widgets, List<SkippedFolder> skipped) {}

  /**
   * Looks at the folder once. The first scan reads everything at once (nothing is being copied at
   * start-up, and waiting would only delay the first registration).
   */
  Found scan(boolean first) {
    boolean changed = first;
    TreeSet<String> present = folders();
    for (String name : present) {
      Path folder = root.resolve(name);
      List<String> signature = WidgetFolder.signature(folder);
      Seen before = seen.get(name);
      if (before != null && before.signature.equals(signature)) {
        pending.remove(name);
        continue;
      }
      if (!first && !signature.equals(pending.get(name))) {
        pending.put(name, signature);
        continue;
      }
      pending.remove(name);
      WidgetFolder.Result result = WidgetFolder.read(folder, label(name), publicUrl);
      seen.put(name, new Seen(signature, result));
      note(name, before == null ? null : before.result, result);
      changed = true;
    }
    for (String name : new ArrayList<>(seen.keySet())) {
      if (!present.contains(name)) {
        WidgetFolder.Result gone = seen.remove(name).result;
        if (gone.widget() != null) {
          LOG.log(
              System.Logger.Level.INFO,
              "Widget {0} removed: its folder {1} is gone",
              gone.widget().id(),
              label(name));
        }
        changed = true;
      }
    }
    pending.keySet().retainAll(present);
    return changed ? combine() : null;
  }

  /**
   * Every widget by id; where two folders claim one id, the first (examples, then by folder name)
   * keeps it.
   */
  private Found combine() {
    Map<String, HostedWidget> widgets = new LinkedHashMap<>();
    List<SkippedFolder> skipped = new ArrayList<>();
    fixed.forEach(widget -> widgets.put(widget.id(), widget));
    for (Seen folder : seen.values()) {
      HostedWidget widget = folder.result.widget();
      if (widget == null) {
        skipped.add(folder.result.skipped());
      } else if (widgets.containsKey(widget.id())) {
        skipped.add(
            new SkippedFolder(
                widget.folder(),
                widget.folder() + "/" + WidgetFolder.MANIFEST,
                "the id '"
                    + widget.id()
                    + "' is already served from "
                    + widgets.get(widget.id()).folder()));
      } else {
        widgets.put(widget.id(), widget);
      }
    }
    return new Found(widgets, skipped);
  }

  private TreeSet<String> folders() {
    TreeSet<String> names = new TreeSet<>();
    if (root == null) {
      return names;
    }
    if (!Files.isDirectory(root)) {
      if (!rootMissingNoted) {
        LOG.log(
            System.Logger.Level.INFO,
            "No widgets folder at {0} yet; widgets appear as soon as it is created",
            root.toAbsolutePath());
        rootMissingNoted = true;
      }
      return names;
    }
    rootMissingNoted = false;
    try (Stream<Path> children = Files.list(root)) {
      children
          .filter(child -> Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))
          .map(child -> child.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .forEach(names::add);
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Cannot list the widgets folder {0}: {1}",
          root,
          e.getMessage());
    }
    return names;
  }

  private String label(String name) {
    return root.resolve(name).toString();
  }

  private static void note(String name, WidgetFolder.Result before, WidgetFolder.Result now) {
    if (now.widget() != null) {
      HostedWidget widget = now.widget();
      LOG.log(
          System.Logger.Level.INFO,
          "Widget {0} {1} from {2} (version {3}, fingerprint {4}, {5} files)",
          widget.id(),
          before == null || before.widget() == null ? "served" : "changed",
          widget.folder(),
          widget.manifest().getString("version"),
          widget.fingerprint(),
          widget.files().size());
    } else if (before == null || !Objects.equals(before.skipped(), now.skipped())) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Widget folder {0} skipped: {1}",
          now.skipped().folder(),
          now.skipped());
    }
  }
}
