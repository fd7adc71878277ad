package dev.mesh.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `helm lint --strict`, and values.schema.json refusing what a platform team might mistype. */
class ChartLintTest {

  @Test
  void theChartPassesStrictLint() {
    LintResult result = Chart.lint(Chart.DIR);

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintFailsOnAMisspeltValue(@TempDir Path copy) throws IOException {
    Chart.copyChart(copy);
    // "replica" for "replicas": Helm would ignore it silently without the schema
    Files.writeString(
        copy.resolve("values.yaml"), "\ngatewy:\n  replicas: 3\n", StandardOpenOption.APPEND);

    LintResult result = Chart.lint(copy);

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("gatewy");
  }

  @Test
  void templateRefusesMisspeltAndMistypedValues() {
    assertThatThrownBy(() -> Chart.template(List.of("external.yaml"), Map.of("gateway.replica", 3)))
        .hasMessageContaining("replica");
    assertThatThrownBy(
            () -> Chart.template(List.of("external.yaml"), Map.of("tracker.queryBackend", "pinto")))
        .hasMessageContaining("queryBackend");
    assertThatThrownBy(
            () -> Chart.template(List.of("external.yaml"), Map.of("gateway.port", "http")))
        .hasMessageContaining("port");
    // an env key the code does not read, and one the chart sets itself
    assertThatThrownBy(
            () ->
                Chart.template(
                    List.of("external.yaml"), Map.of("env.MESH_IDENTITY_TRUTS", "always")))
        .hasMessageContaining("MESH_IDENTITY_TRUTS");
    assertThatThrownBy(
            () ->
                Chart.template(
                    List.of("external.yaml"), Map.of("gateway.env.MESH_GATEWAY_PORT", "9090")))
        .hasMessageContaining("MESH_GATEWAY_PORT");
  }

  @Test
  void theProductionExamplePassesStrictLint(@TempDir Path copy) throws IOException {
    LintResult result = Chart.lint(copy, Path.of(Chart.PRODUCTION));

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void templateNamesTheMissingExternalServices() {
    // the bundled ones switched off without naming the external ones
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("postgresql.enabled", false)))
        .hasMessageContaining("database.url is required when postgresql.enabled is false");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("kafka.enabled", false)))
        .hasMessageContaining("kafka.bootstrap is required when kafka.enabled is false");
    // an external one named while the bundled one is still on: which one was meant?
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("database.url", "postgresql://db:5432/mesh")))
        .hasMessageContaining("set postgresql.enabled=false");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("kafka.bootstrap", "kafka:9092")))
        .hasMessageContaining("set kafka.enabled=false");
    assertThatThrownBy(
            () -> Chart.template(List.of("external.yaml"), Map.of("pinot.setupJob.enabled", true)))
        .hasMessageContaining("pinot.controllerUrl is required");
  }
}
