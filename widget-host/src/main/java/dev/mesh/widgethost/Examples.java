package dev.mesh.widgethost;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example widgets built into the widget-host (by the npm build in this module) under {@code
 * mesh-examples/} on the classpath: a folder when run from the build, a jar entry in the packaged
 * service. Read once, with the same rules as a widgets folder.
 */
final class Examples {

  static final String RESOURCE = "mesh-examples";
  private static final System.Logger LOG = System.getLogger(Examples.class.getName());

  private Examples() {}

  static List<HostedWidget> read(String publicUrl) {
    Path root = root();
    List<HostedWidget> widgets = new ArrayList<>();
    if (root == null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "This build has no example widgets (no {0} on the classpath)",
          RESOURCE);
      return widgets;
    }
    try (Stream<Path> children = Files.list(root)) {
      for (Path folder : children.filter(Files::isDirectory).sorted().toList()) {
        String name = folder.getFileName().toString().replace("/", "");
        WidgetFolder.Result result = WidgetFolder.read(folder, "examples/" + name, publicUrl);
        if (result.widget() != null) {
          widgets.add(result.widget());
        } else {
          // the build checks the examples, so this is a broken build, not an author's typo
          LOG.log(
              System.Logger.Level.ERROR, "Example widget {0} skipped: {1}", name, result.skipped());
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "Cannot read the example widgets: {0}", e.getMessage());
    }
    return widgets;
  }

  private static Path root() {
    URL url = Examples.class.getClassLoader().getResource(RESOURCE);
    if (url == null) {
      return null;
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return Path.of(uri);
      }
      FileSystem jar;
      try {
        jar = FileSystems.newFileSystem(uri, Map.of());
      } catch (FileSystemAlreadyExistsException e) {
        jar = FileSystems.getFileSystem(uri);
      }
      return jar.getPath(RESOURCE);
    } catch (URISyntaxException | IOException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "Cannot open the example widgets at {0}: {1}",
          url,
          e.getMessage());
      return null;
    }
  }
}
