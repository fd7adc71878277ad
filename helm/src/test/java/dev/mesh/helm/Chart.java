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

  static final Path DIR =
      Path.of(System.getProperty("mesh.chart", "mesh")).toAbsolutePath().normalize();
  static final Path ROOT =
      Path.of(System.getProperty("mesh.root", "..")).toAbsolutePath().normalize();
  static final String RELEASE = "mesh";
  static final String NAMESPACE = "dashboards";

  /** Scenario values files, also the examples docs/kubernetes.md quotes. */
  /**
   * Kubernetes version the templates are rendered for (Helm's own default is older than the chart
   * allows).
   */
  static final String KUBE_VERSION = "1.31.0";

  static final Path VALUES = ROOT.resolve("helm/src/test/resources/values");

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
    return new Rendered(parse(template(HOOKS_AS_OBJECTS.get(), List.of(valuesFiles), Map.of())));
  }

  static final String HOOK = "test.mesh.dev/hook";

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
    TemplateCommand command =
        new Helm(chart)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
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
