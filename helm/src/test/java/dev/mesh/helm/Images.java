package dev.mesh.helm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/**
 * What runs in an image: the four Mesh images' main classes, read from each service module's pom
 * (Jib's {@code image.name} and {@code image.mainClass}), as Jib writes them into the image's
 * entrypoint.
 */
final class Images {

  /** The service modules that build an image. */
  static final List<String> MODULES = List.of("gateway", "registry", "tracker", "widget-host");

  private static final Map<String, String> MAINS = readMains();

  private Images() {}

  /** Image name (the repository's last path segment, e.g. mesh-gateway) to its main class. */
  static Map<String, String> mains() {
    return MAINS;
  }

  /** {@code registry.example.com/mesh/mesh-gateway:0.1.0} to {@code mesh-gateway}. */
  static String name(String image) {
    String repository = repository(image);
    return repository.substring(repository.lastIndexOf('/') + 1);
  }

  /** The image without its tag (or digest): {@code apache/kafka:3.7.2} to {@code apache/kafka}. */
  static String repository(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/')
        ? withoutDigest.substring(0, colon)
        : withoutDigest;
  }

  static boolean isMesh(String image) {
    return MAINS.containsKey(name(image));
  }

  /** The main class an image of Mesh runs; fails for any other image. */
  static String main(String image) {
    String main = MAINS.get(name(image));
    if (main == null) {
      throw new AssertionError(
          "The image " + image + " is none of Mesh's " + MAINS.keySet() + ": no main class known");
    }
    return main;
  }

  private static Map<String, String> readMains() {
    Map<String, String> mains = new LinkedHashMap<>();
    try {
      XPath xpath = XPathFactory.newInstance().newXPath();
      for (String module : MODULES) {
        Document pom =
            DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Chart.ROOT.resolve(module).resolve("pom.xml").toFile());
        String name = xpath.evaluate("/project/properties/image.name", pom).trim();
        String main = xpath.evaluate("/project/properties/image.mainClass", pom).trim();
        if (name.isEmpty() || main.isEmpty()) {
          throw new AssertionError(module + "/pom.xml names no image.name or image.mainClass");
        }
        mains.put(name, main);
      }
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the service poms: " + e.getMessage(), e);
    }
    return Map.copyOf(mains);
  }
}
