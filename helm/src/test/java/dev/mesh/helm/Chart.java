package dev.mesh.helm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under test, driven through helm-java (Helm's own Go code as a native library), and its
 * output read strictly into the fabric8 Kubernetes model.
 */
final class Chart {

  static {
    // helm-java renders the chart's lookups against the kubeconfig's cluster: the stand-in
    KubeApiStandIn.shared();
  }

  static final Path DIR =
      Path.of(System.getProperty("mesh.chart", "mesh")).toAbsolutePath().normalize();
  static final Path ROOT =
      Path.of(System.getProperty("mesh.root", "..")).toAbsolutePath().normalize();
  static final String RELEASE = "mesh";
  static final String NAMESPACE = "dashboards";

  /**
   * Kubernetes version the templates are rendered for (Helm's own default is older than the chart
   * allows).
   */
  static final String KUBE_VERSION = "1.31.0";

  /**
   * The oldest Kubernetes the chart supports (Chart.yaml's kubeVersion) and the newest the fabric8
   * model tests read.
   */
  static final List<String> SUPPORTED_KUBE_VERSIONS =
      List.of("1.23.0", "1.27.0", KUBE_VERSION, "1.34.0");

  /** Scenario values files, also the examples docs/kubernetes.md quotes. */
  static final Path VALUES = ROOT.resolve("helm/src/test/resources/values");

  /** The production example shipped in the chart. */
  static final String PRODUCTION = DIR.resolve("values-production.yaml").toString();

  /**
   * YAML to model, refusing what the model does not know. fabric8's classes collect unknown fields
   * into additionalProperties (a JsonAnySetter); without it Jackson fails on them, so a misspelt
   * field (say "readinesProbe") fails the test instead of vanishing.
   */
  static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                  return Boolean.FALSE;
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Pod", Pod.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("batch/v1/Job", Job.class));

  private Chart() {}

  static LintResult lint(Path chart) {
    return new Helm(chart).lint().strict().call();
  }

  /**
   * `helm lint --strict -f values`: helm-java's lint takes no values file, so this lints a copy of
   * the chart whose values.yaml has the file merged over it as Helm merges (maps key by key, the
   * rest replaced).
   */
  static LintResult lint(Path copy, Path values) throws IOException {
    copyChart(copy);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode merged =
        merge(yaml.readTree(copy.resolve("values.yaml").toFile()), yaml.readTree(values.toFile()));
    Files.writeString(copy.resolve("values.yaml"), yaml.writeValueAsString(merged));
    return lint(copy);
  }

  private static JsonNode merge(JsonNode base, JsonNode over) {
    if (!(base instanceof com.fasterxml.jackson.databind.node.ObjectNode target)
        || !over.isObject()) {
      return over;
    }
    over.fields()
        .forEachRemaining(
            e ->
                target.set(
                    e.getKey(),
                    target.has(e.getKey())
                        ? merge(target.get(e.getKey()), e.getValue())
                        : e.getValue()));
    return target;
  }

  /** `helm template` with the scenario files (names under {@link #VALUES}) and single values. */
  static Rendered render(List<String> valuesFiles, Map<String, Object> set) {
    return new Rendered(parse(template(valuesFiles, set)));
  }

  static Rendered render(String... valuesFiles) {
    return render(List.of(valuesFiles), Map.of());
  }

  /**
   * helm-java's template leaves hook objects out (like `helm template --no-hooks`). This renders a
   * copy of the chart whose hooks are plain objects: their annotations say {@value #HOOK} instead
   * of helm.sh/hook, so the Job and the test Pod can be checked like the rest.
   */
  static Rendered renderWithHooks(String... valuesFiles) {
    return renderWithHooks(List.of(valuesFiles), Map.of());
  }

  static Rendered renderWithHooks(List<String> valuesFiles, Map<String, Object> set) {
    return new Rendered(parse(template(HOOKS_AS_OBJECTS.get(), valuesFiles, set)));
  }

  static final String HOOK = "test.mesh.dev/hook";

  /** The copy of the chart whose hooks render as plain objects. */
  static Path hooksAsObjects() {
    return HOOKS_AS_OBJECTS.get();
  }

  private static final java.util.function.Supplier<Path> HOOKS_AS_OBJECTS =
      new java.util.function.Supplier<>() {
        private Path copy;

        @Override
        public synchronized Path get() {
          if (copy == null) {
            try {
              Path target =
                  Path.of(
                      System.getProperty("mesh.build", "target"), "chart-hooks-as-objects", "mesh");
              copyChart(target);
              try (Stream<Path> templates = Files.walk(target.resolve("templates"))) {
                for (Path file : templates.filter(Files::isRegularFile).toList()) {
                  Files.writeString(file, Files.readString(file).replace("helm.sh/hook", HOOK));
                }
              }
              copy = target;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          return copy;
        }
      };

  /** A copy of the chart, to change a file of it in a test. */
  static void copyChart(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path source : files.toList()) {
        Path destination = target.resolve(DIR.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static String template(List<String> valuesFiles, Map<String, Object> set) {
    return template(DIR, valuesFiles, set);
  }

  static String template(Path chart, List<String> valuesFiles, Map<String, Object> set) {
    return template(chart, KUBE_VERSION, valuesFiles, set);
  }

  static String template(
      Path chart, String kubeVersion, List<String> valuesFiles, Map<String, Object> set) {
    TemplateCommand command =
        new Helm(chart)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(kubeVersion);
    valuesFiles.forEach(file -> command.withValuesFile(VALUES.resolve(file)));
    set.forEach(command::set);
    return command.call();
  }

  /** Every document of a multi-document YAML stream, each as the model class of its kind. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode node : STRICT.readValues(parser, JsonNode.class).readAll()) {
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        String type = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
        Class<? extends HasMetadata> kind = KINDS.get(type);
        if (kind == null) {
          throw new AssertionError("The chart renders a kind the tests do not know: " + type);
        }
        objects.add(STRICT.treeToValue(node, kind));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
