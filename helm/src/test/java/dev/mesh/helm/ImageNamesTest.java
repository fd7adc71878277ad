package dev.mesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The chart's default images are the ones Jib builds: same names (each service pom's image.name),
 * same tag.
 */
class ImageNamesTest {

  private static final Map<String, String> MODULES =
      Map.of(
          "gateway",
          "gateway",
          "registry",
          "registry",
          "tracker",
          "tracker",
          "widget-host",
          "widget-host");

  @Test
  void defaultImagesAreTheJibImages() throws Exception {
    String version = System.getProperty("mesh.version");
    assertThat(version).isNotBlank();
    // Jib tags with the project version and the chart's appVersion is that version
    assertThat(System.getProperty("mesh.image.tag")).isEqualTo(version);
    assertThat(Chart.read(Chart.DIR.resolve("Chart.yaml")))
        .contains("appVersion: \"" + version + "\"");

    Rendered rendered = Chart.render("external.yaml");
    for (Map.Entry<String, String> service : MODULES.entrySet()) {
      Document pom =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(Chart.ROOT.resolve(service.getValue()).resolve("pom.xml").toFile());
      String name =
          XPathFactory.newInstance().newXPath().evaluate("/project/properties/image.name", pom);
      assertThat(name).as(service.getValue() + "/pom.xml image.name").isNotBlank();
      Deployment deployment = rendered.service(service.getKey());
      assertThat(Rendered.only(deployment).getImage())
          .isEqualTo(System.getProperty("mesh.image.registry", "") + name + ":" + version);
    }
  }
}
