package dev.mesh.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendered object read strictly into the fabric8 Kubernetes model (a field the model does not
 * know fails, see {@link Chart#STRICT}), for every Kubernetes version Chart.yaml's kubeVersion
 * admits; and values.schema.json closed everywhere, so a misspelt or mistyped value stops the
 * install with its name.
 */
class StrictManifestsTest {

  /**
   * The API versions the chart may use: all served, GA, since Kubernetes 1.23 (its kubeVersion).
   */
  private static final Set<String> SERVED_SINCE_1_23 =
      Set.of("v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1");

  /** Objects of the schema meant to be open, and why. */
  private static final Map<String, String> OPEN =
      Map.of(
          "/properties/global",
          "Helm's values shared with a parent chart; not this chart's to close",
          "/properties/gateway/properties/layouts/additionalProperties/properties/content",
          "a layout's golden-layout config, checked by the gateway at start",
          "/properties/gateway/properties/layouts/additionalProperties/properties/source",
          "where an export came from; ignored by the gateway");

  static Stream<Arguments> everyVersionAndVariant() {
    List<Arguments> arguments = new ArrayList<>();
    List<List<String>> variants =
        List.of(
            List.of(),
            List.of(Chart.PRODUCTION),
            List.of(
                "external.yaml",
                "pinot.yaml",
                "sidecar.yaml",
                "ingress-hpa.yaml",
                "layouts.yaml",
                "network-policy.yaml"),
            List.of("sidecar.yaml", "pinot.yaml"),
            List.of("external.yaml", "proxy.yaml"));
    for (String version : Chart.SUPPORTED_KUBE_VERSIONS) {
      for (List<String> files : variants) {
        arguments.add(Arguments.of(version, files));
      }
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "Kubernetes {0}, values {1}")
  @MethodSource("everyVersionAndVariant")
  void everyObjectReadsStrictlyIntoTheModel(String kubeVersion, List<String> files) {
    // hooks included: the Pinot Job and the test Pod are objects like the others
    String yaml = Chart.template(Chart.hooksAsObjects(), kubeVersion, files, Map.of());
    List<HasMetadata> objects = Chart.parse(yaml);
    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      assertThat(object.getApiVersion())
          .as("%s %s", object.getKind(), object.getMetadata().getName())
          .isIn(SERVED_SINCE_1_23);
    }
  }

  @Test
  void aKubernetesOlderThanTheChartsKubeVersionIsRefused() {
    assertThatThrownBy(() -> Chart.template(Chart.DIR, "1.22.0", List.of(), Map.of()))
        .hasMessageContaining("kubeVersion");
  }

  @Test
  void theParserRefusesAMisspeltFieldOfAStatefulSet() {
    String misspelt =
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: x}
        spec:
          serviceName: x
          volumeClaimTemplate: []
        """;
    assertThatThrownBy(() -> Chart.parse(misspelt)).hasMessageContaining("volumeClaimTemplate");
  }

  @Test
  void everyObjectOfTheSchemaIsClosed() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Chart.DIR.resolve("values.schema.json").toFile());
    List<String> open = new ArrayList<>();
    walk(schema, "", open);
    assertThat(open)
        .as("objects of values.schema.json without additionalProperties (false or a schema)")
        .isEmpty();
  }

  private static void walk(JsonNode node, String path, List<String> open) {
    if (!node.isObject()) {
      return;
    }
    boolean object = "object".equals(node.path("type").asText()) || node.has("properties");
    // Kubernetes' own objects passed through verbatim are closed at their top (a misspelt
    // nodeAfinity is refused here); inside, Helm checks them against the cluster's OpenAPI schema
    // at install, and these tests read every rendered object strictly
    boolean kubernetes = node.path("description").asText().startsWith("Kubernetes ");
    if (object && !node.has("additionalProperties") && !OPEN.containsKey(path) && !kubernetes) {
      open.add(path.isEmpty() ? "/" : path);
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isObject()) {
        walk(field.getValue(), path + "/" + field.getKey(), open);
      } else if (field.getValue().isArray()) {
        for (JsonNode item : field.getValue()) {
          walk(item, path + "/" + field.getKey(), open);
        }
      }
    }
  }

  @Test
  void theSchemaNamesAnUnknownKeyAndAWrongType() {
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("postgresql.persistence.sise", "20Gi")))
        .hasMessageContaining("/postgresql/persistence")
        .hasMessageContaining("'sise' not allowed");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("kafka.port", "kafka")))
        .hasMessageContaining("/kafka/port")
        .hasMessageContaining("want integer");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("identity.allowInsecure", "yes")))
        .hasMessageContaining("/identity/allowInsecure");
    // Kubernetes objects passed through are closed at their top too
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("gateway.affinity.nodeAfinity.x", "y")))
        .hasMessageContaining("'nodeAfinity' not allowed");
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("podSecurityContext.runAsUsr", 10001)))
        .hasMessageContaining("'runAsUsr' not allowed");
  }

  @Test
  void theSidecarManifestsTakeTheFieldsOfTheManifestContract() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode contract =
        json.readTree(
            Chart.ROOT
                .resolve("common/src/main/resources/contracts/widget-manifest.schema.json")
                .toFile());
    JsonNode chart =
        json.readTree(Chart.DIR.resolve("values.schema.json").toFile())
            .at("/properties/teamWidgets/items/properties/manifests/items/properties");
    List<String> contractFields = new ArrayList<>();
    contract.path("properties").fieldNames().forEachRemaining(contractFields::add);
    List<String> chartFields = new ArrayList<>();
    chart.fieldNames().forEachRemaining(chartFields::add);
    assertThat(chartFields).containsExactlyInAnyOrderElementsOf(contractFields);
  }
}
