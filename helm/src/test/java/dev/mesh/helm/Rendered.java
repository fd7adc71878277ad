package dev.mesh.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The objects one `helm template` rendered, with the look-ups the tests share. */
record Rendered(List<HasMetadata> objects) {

  /** The four services' component names, as the chart labels them. */
  static final List<String> SERVICES = List.of("gateway", "registry", "tracker", "widget-host");

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> T named(Class<T> kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () ->
                new AssertionError(
                    "No "
                        + kind.getSimpleName()
                        + " "
                        + name
                        + " among "
                        + objects.stream()
                            .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                            .toList()));
  }

  <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
    return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  /** The Deployment of one of the four services. */
  Deployment service(String component) {
    return named(Deployment.class, Chart.RELEASE + "-" + component);
  }

  /** Every pod spec the chart renders: Deployments, StatefulSets, Jobs, Pods. */
  Stream<PodSpec> podSpecs() {
    return Stream.of(
            all(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
            all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate().getSpec()),
            all(Job.class).stream().map(j -> j.getSpec().getTemplate().getSpec()),
            all(Pod.class).stream().map(Pod::getSpec))
        .flatMap(s -> s);
  }

  /** The containers running a Mesh image (the four services' and the sidecars'). */
  Stream<Container> meshContainers() {
    return containers().filter(c -> Images.isMesh(c.getImage()));
  }

  Stream<Container> containers() {
    return podSpecs()
        .flatMap(
            spec ->
                Stream.concat(
                    spec.getContainers().stream(),
                    spec.getInitContainers() == null
                        ? Stream.empty()
                        : spec.getInitContainers().stream()));
  }

  static Container container(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "No container " + name + " in " + deployment.getMetadata().getName()));
  }

  static Container only(StatefulSet set) {
    List<Container> containers = set.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError(
          set.getMetadata().getName() + " has " + containers.size() + " containers");
    }
    return containers.get(0);
  }

  static Container only(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError(
          deployment.getMetadata().getName() + " has " + containers.size() + " containers");
    }
    return containers.get(0);
  }

  static Map<String, EnvVar> env(Container container) {
    return container.getEnv().stream()
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                e -> e,
                (a, b) -> {
                  throw new AssertionError(
                      "Env " + a.getName() + " set twice in " + container.getName());
                }));
  }

  static String value(Container container, String name) {
    EnvVar env = env(container).get(name);
    if (env == null || env.getValue() == null) {
      throw new AssertionError(container.getName() + " has no plain value for " + name);
    }
    return env.getValue();
  }

  static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + name))
        .getContainerPort();
  }
}
