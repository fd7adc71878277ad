package dev.mesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Argo CD example in the docs points at this chart, and its values install. */
class ArgoApplicationTest {

  @Test
  void theExampleApplicationInstallsThisChart(@TempDir Path dir) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode application =
        yaml.readTree(Chart.ROOT.resolve("docs/argocd/application.yaml").toFile());
    assertThat(application.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
    assertThat(application.path("kind").asText()).isEqualTo("Application");

    JsonNode source = application.path("spec").path("source");
    assertThat(Chart.ROOT.resolve(source.path("path").asText()).normalize()).isEqualTo(Chart.DIR);
    assertThat(application.at("/spec/destination/namespace").asText()).isNotEmpty();

    // the values it gives pass the schema and render a full install
    Path values = dir.resolve("argocd-values.yaml");
    Files.writeString(values, yaml.writeValueAsString(source.path("helm").path("valuesObject")));
    Rendered rendered =
        new Rendered(
            Chart.parse(
                new com.marcnuri.helm.Helm(Chart.DIR)
                    .template()
                    .withName(source.at("/helm/releaseName").asText())
                    .withNamespace("dashboards")
                    .withKubeVersion(Chart.KUBE_VERSION)
                    .withValuesFile(values)
                    .call()));
    List<Deployment> deployments = rendered.all(Deployment.class);
    assertThat(deployments).hasSize(4);
    assertThat(deployments)
        .allSatisfy(
            d ->
                assertThat(Rendered.only(d).getImage())
                    .startsWith("registry.example.com/mesh/")
                    .endsWith(":0.1.0"));
    assertThat(rendered.all(io.fabric8.kubernetes.api.model.Secret.class)).isEmpty();
  }
}
