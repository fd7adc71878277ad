package dev.mesh.registry;

import dev.mesh.common.Contract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Widget manifests: checked against the manifest contract, and translated to and from the original
 * datamesh registry's request shape so that its clients and sidecars keep working.
 */
final class Manifests {

  private static final Contract MANIFEST = Contract.load(Contract.WIDGET_MANIFEST);
  private static final Contract V1_REGISTER = Contract.load(Contract.REGISTRY_V1_REGISTER);
  private static final Set<String> DOMAIN_KINDS = Set.of("source-aligned", "aggregate", "consumer-aligned");

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
   * from tags of those names when a client sends them, and otherwise marked as unknown.
   */
  static JsonObject fromV1(String id, JsonObject register) {
    JsonObject component = register.getJsonObject("webComponent");
    JsonObject tags = register.getJsonObject("tags", new JsonObject());
    String kind = tags.getString("domainKind");
    JsonObject manifest = new JsonObject()
      .put("id", id)
      .put("tag", component.getString("componentId"))
      .put("label", register.getString("label"))
      .put("module", component.getString("jsUrl"))
      .put("version", tags.getString("version", "0.0.0"))
      .put("owner", tags.getString("owner", "unknown"))
      .put("domain", tags.getString("domain", "unassigned"))
      .put("domainKind", kind != null && DOMAIN_KINDS.contains(kind) ? kind : "consumer-aligned")
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
