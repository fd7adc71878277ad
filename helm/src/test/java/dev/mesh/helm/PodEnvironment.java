package dev.mesh.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet makes it from the rendered objects: plain values (with
 * their {@code $(VAR)} references to earlier variables expanded), {@code secretKeyRef} and {@code
 * configMapKeyRef} read from the rendered Secrets and ConfigMaps or from the Secrets a platform
 * team made beforehand, {@code fieldRef} from the pod's facts, {@code envFrom} sources. A reference
 * to something that does not exist fails, as the kubelet would refuse to start the container.
 */
final class PodEnvironment {

  /** What the downward API knows of a pod. */
  record Pod(String name, String namespace, String ip) {}

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private final Rendered rendered;
  private final Map<String, Map<String, String>> existingSecrets;

  /**
   * @param existingSecrets Secrets made outside the chart (name to plain key/values), as {@code
   *     kubectl create secret generic} would leave them in the namespace
   */
  PodEnvironment(Rendered rendered, Map<String, Map<String, String>> existingSecrets) {
    this.rendered = rendered;
    this.existingSecrets = existingSecrets;
  }

  /** The variables {@code container} of {@code pod} starts with, in order. */
  Map<String, String> of(Container container, Pod pod) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource source : container.getEnvFrom()) {
        Map<String, String> values =
            source.getSecretRef() != null
                ? secret(source.getSecretRef().getName(), container)
                : configMap(source.getConfigMapRef().getName(), container);
        String prefix = source.getPrefix() == null ? "" : source.getPrefix();
        values.forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar variable : container.getEnv()) {
        env.put(variable.getName(), value(variable, container, pod, env));
      }
    }
    return env;
  }

  private String value(EnvVar variable, Container container, Pod pod, Map<String, String> before) {
    if (variable.getValueFrom() == null) {
      return expand(variable.getValue() == null ? "" : variable.getValue(), before);
    }
    EnvVarSource from = variable.getValueFrom();
    String where = container.getName() + "'s " + variable.getName();
    if (from.getSecretKeyRef() != null) {
      SecretKeySelector ref = from.getSecretKeyRef();
      String value = secret(ref.getName(), container).get(ref.getKey());
      if (value == null) {
        throw new AssertionError(
            where
                + " names key "
                + ref.getKey()
                + " of Secret "
                + ref.getName()
                + ", which has none");
      }
      return value;
    }
    if (from.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = from.getConfigMapKeyRef();
      String value = configMap(ref.getName(), container).get(ref.getKey());
      if (value == null) {
        throw new AssertionError(
            where
                + " names key "
                + ref.getKey()
                + " of ConfigMap "
                + ref.getName()
                + ", which has none");
      }
      return value;
    }
    if (from.getFieldRef() != null) {
      String field = from.getFieldRef().getFieldPath();
      return switch (field) {
        case "status.podIP" -> pod.ip();
        case "metadata.name" -> pod.name();
        case "metadata.namespace" -> pod.namespace();
        default ->
            throw new AssertionError(
                where + " reads the field " + field + ", which this test does not supply yet");
      };
    }
    throw new AssertionError(where + " has a source this test does not resolve: " + from);
  }

  /** Kubernetes' expansion of {@code $(NAME)} to an earlier variable; {@code $$} is a dollar. */
  static String expand(String value, Map<String, String> before) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (matcher.group(1) == null) {
        replacement = "$";
      } else {
        replacement = before.getOrDefault(matcher.group(1), matcher.group());
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** A Secret's plain values: a rendered one, else one made beforehand; none fails. */
  Map<String, String> secret(String name, Container container) {
    Optional<Secret> rendered = this.rendered.find(Secret.class, name);
    if (rendered.isPresent()) {
      Map<String, String> values = new LinkedHashMap<>();
      Secret secret = rendered.get();
      if (secret.getData() != null) {
        secret
            .getData()
            .forEach(
                (k, v) ->
                    values.put(
                        k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      if (secret.getStringData() != null) {
        values.putAll(secret.getStringData());
      }
      return values;
    }
    Map<String, String> existing = existingSecrets.get(name);
    if (existing == null) {
      throw new AssertionError(
          container.getName()
              + " reads the Secret "
              + name
              + ", which the chart does not render and nobody made beforehand");
    }
    return existing;
  }

  private Map<String, String> configMap(String name, Container container) {
    ConfigMap configMap =
        rendered
            .find(ConfigMap.class, name)
            .orElseThrow(
                () ->
                    new AssertionError(
                        container.getName()
                            + " reads the ConfigMap "
                            + name
                            + ", which is not rendered"));
    return configMap.getData() == null ? Map.of() : configMap.getData();
  }
}
