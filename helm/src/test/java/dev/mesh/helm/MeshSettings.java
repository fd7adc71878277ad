package dev.mesh.helm;

import dev.mesh.common.Setting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The settings a Mesh container gets, checked against the code: every MESH_* variable must be a
 * {@link Setting} key, and every setting the role requires on Kubernetes must be rendered.
 * "Required" are the settings whose code default cannot work in a pod: no database or broker (the
 * all-in-one's embedded ones are not started by the services' own mains), loopback as the address
 * other members use, TCP join on loopback, an identity default meant for a laptop (mode local,
 * trust from loopback, a local user), a registry without a token; and in identity mode accounts the
 * first admin's password and the editors (by default everybody, which would outrank the roles an
 * admin gives).
 */
final class MeshSettings {

  static final Set<String> KEYS =
      Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());

  private static final List<Setting> MEMBER =
      List.of(
          Setting.CLUSTER_NAME,
          Setting.CLUSTER_JOIN,
          Setting.CLUSTER_K8S_SERVICE_DNS,
          Setting.CLUSTER_PORT,
          Setting.EVENTBUS_PORT,
          Setting.CLUSTER_HOST,
          Setting.ADVERTISED_HOST);

  private static final List<Setting> DATABASE =
      List.of(Setting.DATABASE_URL, Setting.DATABASE_USER, Setting.DATABASE_PASSWORD);

  /** What each role of a Mesh container needs besides its defaults. */
  static final Map<String, List<Setting>> REQUIRED =
      Map.of(
          "gateway",
          concat(
              MEMBER,
              DATABASE,
              List.of(
                  Setting.GATEWAY_PORT,
                  Setting.IDENTITY_MODE,
                  Setting.IDENTITY_TRUST,
                  Setting.IDENTITY_LOCAL_USER)),
          "registry",
          concat(MEMBER, List.of(Setting.REGISTRY_PORT, Setting.REGISTRY_TOKEN)),
          "tracker",
          concat(
              MEMBER,
              DATABASE,
              List.of(Setting.TRACKER_PORT, Setting.TRACKER_QUERY_PORT, Setting.KAFKA_BOOTSTRAP)),
          "widget-host",
          concat(MEMBER, List.of(Setting.WIDGET_HOST_PORT, Setting.WIDGET_HOST_MODE)),
          "sidecar",
          List.of(
              Setting.WIDGET_HOST_MODE,
              Setting.WIDGET_HOST_PORT,
              Setting.SIDECAR_MANIFEST,
              Setting.REGISTRY_URL,
              Setting.REGISTRY_TOKEN),
          "pinot-setup",
          List.of(Setting.PINOT_CONTROLLER_URL, Setting.KAFKA_BOOTSTRAP, Setting.TRACKER_TOPIC));

  private MeshSettings() {}

  /**
   * The role of a Mesh container: its image's service, "sidecar" for a widget-host in sidecar mode,
   * "pinot-setup" for the tracker's one-off command.
   */
  static String role(Container container) {
    String main = Images.main(container.getImage());
    boolean sidecar =
        container.getEnv().stream()
            .anyMatch(
                e ->
                    e.getName().equals(Setting.WIDGET_HOST_MODE.key())
                        && "sidecar".equals(e.getValue()));
    if (sidecar) {
      return "sidecar";
    }
    if (container.getArgs() != null && container.getArgs().contains("pinot-setup")) {
      return "pinot-setup";
    }
    return Images.mains().entrySet().stream()
        .filter(e -> e.getValue().equals(main))
        .map(e -> e.getKey().replaceFirst("^mesh-", ""))
        .findFirst()
        .orElseThrow();
  }

  /**
   * What is wrong with a Mesh container's variables, one line each naming the variable; empty when
   * nothing is.
   */
  static List<String> problems(String where, Container container) {
    List<String> problems = new ArrayList<>();
    Set<String> names =
        container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
    for (String name : names) {
      if (!KEYS.contains(name)) {
        problems.add(
            where
                + " sets "
                + name
                + ", which the code does not read (not a dev.mesh.common.Setting key)");
      }
    }
    String role = role(container);
    for (Setting required : REQUIRED.get(role)) {
      if (!names.contains(required.key())) {
        problems.add(
            where
                + " ("
                + role
                + ") does not set "
                + required.key()
                + ", which it needs on Kubernetes (its default: \""
                + required.defaultValue()
                + "\")");
      }
    }
    // identity mode accounts cannot start without the first admin's password
    boolean accounts =
        container.getEnv().stream()
            .anyMatch(
                e ->
                    e.getName().equals(Setting.IDENTITY_MODE.key())
                        && "accounts".equals(e.getValue()));
    if (accounts && !names.contains(Setting.ACCOUNTS_ADMIN_PASSWORD.key())) {
      problems.add(
          where
              + " sets "
              + Setting.IDENTITY_MODE.key()
              + "=accounts but not "
              + Setting.ACCOUNTS_ADMIN_PASSWORD.key()
              + ", without which the gateway does not start");
    }
    if (accounts && !names.contains(Setting.ROLE_EDITORS.key())) {
      problems.add(
          where
              + " sets "
              + Setting.IDENTITY_MODE.key()
              + "=accounts but not "
              + Setting.ROLE_EDITORS.key()
              + ", whose default \""
              + Setting.ROLE_EDITORS.defaultValue()
              + "\" makes everybody an editor, whatever role an admin gives");
    }
    if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
      problems.add(where + " takes variables from envFrom, which this check cannot name");
    }
    return problems;
  }

  private static List<Setting> concat(List<Setting> first, List<Setting> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private static List<Setting> concat(
      List<Setting> first, List<Setting> second, List<Setting> third) {
    return concat(concat(first, second), third);
  }
}
