package dev.mesh.registry;

import dev.mesh.common.Contract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Widget manifests: checked against the manifest contract, and translated to and from the original
 * datamesh registry's request shape so that its clients and sidecars keep working.
 */
final class Manifests {

  private static final Contract MANIFEST = Contract.load(Contract.WIDGET_MANIFEST);
  private static final Contract V1_REGISTER = Contract.load(Contract.REGISTRY_V1_REGISTER);
  private static final Set<String> DOMAIN_KINDS = Set.of("source-aligned", "aggregate", "consumer-aligned");
  /** As the manifest schema's version and name rules. */
  private static final Pattern SEMVER = Pattern.compile("^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]+)?$");
  private static final Pattern NAME = Pattern.compile("^(?=.*\\S).{1,100}$", Pattern.DOTALL);

  private Manifests() {
  }

  static JsonArray problems(JsonObject manifest) {
    return MANIFEST.problems(manifest);
  }

  static JsonArray v1Problems(JsonObject register) {
    return V1_REGISTER.problems(register);
  }

  /**
   * The manifest a v1 registration stands for. v1 has no owner, domain or version: they are taken
   * from tags of those names when a client sends usable values (the original accepted any string,
   * e.g. {@code version: latest}), and otherwise marked as unknown; the tags themselves are kept.
   */
  static JsonObject fromV1(String id, JsonObject register) {
    JsonObject component = register.getJsonObject("webComponent");
    JsonObject tags = register.getJsonObject("tags", new JsonObject());
    JsonObject manifest = new JsonObject()
      .put("id", id)
      .put("tag", component.getString("componentId"))
      .put("label", register.getString("label"))
      .put("module", component.getString("jsUrl"))
      .put("version", usable(tags.getString("version"), SEMVER, "0.0.0"))
      .put("owner", usable(tags.getString("owner"), NAME, "unknown"))
      .put("domain", usable(tags.getString("domain"), NAME, "unassigned"))
      .put("domainKind", DOMAIN_KINDS.contains(tags.getString("domainKind", "")) ? tags.getString("domainKind") : "consumer-aligned")
      .put("tags", tags.copy());
    String css = component.getString("cssUrl");
    if (css != null && !css.isEmpty()) {
      manifest.put("css", css);
    }
    if (tags.containsKey("description")) {
      manifest.put("description", tags.getString("description"));
    }
    return manifest;
  }

  private static String usable(String value, Pattern pattern, String fallback) {
    return value != null && pattern.matcher(value).matches() ? value : fallback;
  }

  /** The v1 register body a widget answers as, whichever API registered it. */
  static JsonObject toV1(JsonObject manifest) {
    return new JsonObject()
      .put("webComponent", new JsonObject()
        .put("jsUrl", manifest.getString("module"))
        .put("cssUrl", manifest.getString("css", ""))
        .put("componentId", manifest.getString("tag")))
      .put("label", manifest.getString("label"))
      .put("tags", manifest.getJsonObject("tags", new JsonObject()).copy());
  }
}
