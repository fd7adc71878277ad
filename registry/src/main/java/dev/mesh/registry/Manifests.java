package dev.mesh.registry;

import dev.mesh.common.Contract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Widget manifests: checked against the manifest contract, and translated to and from the original
 * datamesh registry's request shape so that its clients and sidecars keep working.
 */
final class Manifests {

  private static final Contract MANIFEST = Contract.load(Contract.WIDGET_MANIFEST);
  private static final Contract V1_REGISTER = Contract.load(Contract.REGISTRY_V1_REGISTER);

  /** Manifest fields v1 has no place for, read from tags of the same name, and their defaults. */
  private static final Map<String, String> V1_DEFAULTS =
      Map.of(
          "version",
          "0.0.0",
          "owner",
          "unknown",
          "domain",
          "unassigned",
          "domainKind",
          "consumer-aligned");

  private Manifests() {}

  static JsonArray problems(JsonObject manifest) {
    return MANIFEST.problems(manifest);
  }

  static JsonArray v1Problems(JsonObject register) {
    return V1_REGISTER.problems(register);
  }

  /**
   * A v1 registration as a manifest, with what is still wrong with it (empty when it can be
   * stored).
   */
  record FromV1(JsonObject manifest, JsonArray problems) {}

  /**
   * The manifest a v1 registration stands for. v1 has no owner, domain, domain kind or version:
   * they are taken from tags of those names, and where a tag is missing or holds what a manifest
   * cannot (the original accepted any string, e.g. {@code version: latest}) the default stands in.
   * The manifest schema alone decides which values are usable; the tags themselves are kept.
   */
  static FromV1 fromV1(String id, JsonObject register) {
    JsonObject component = register.getJsonObject("webComponent");
    JsonObject tags = register.getJsonObject("tags", new JsonObject());
    JsonObject manifest =
        new JsonObject()
            .put("id", id)
            .put("tag", component.getString("componentId"))
            .put("label", register.getString("label"))
            .put("module", component.getString("jsUrl"))
            .put("tags", tags.copy());
    V1_DEFAULTS.forEach((field, fallback) -> manifest.put(field, tags.getString(field, fallback)));
    String css = component.getString("cssUrl");
    if (css != null && !css.isEmpty()) {
      manifest.put("css", css);
    }
    if (tags.containsKey("description")) {
      manifest.put("description", tags.getString("description"));
    }
    JsonArray problems = new JsonArray();
    for (Object item : MANIFEST.problems(manifest)) {
      JsonObject problem = (JsonObject) item;
      String field = problem.getString("field").substring(1);
      if (V1_DEFAULTS.containsKey(field)) {
        manifest.put(field, V1_DEFAULTS.get(field)); // the defaults are valid values
      } else {
        problems.add(problem);
      }
    }
    return new FromV1(manifest, problems);
  }

  /** The v1 register body a widget answers as, whichever API registered it. */
  static JsonObject toV1(JsonObject manifest) {
    return new JsonObject()
        .put(
            "webComponent",
            new JsonObject()
                .put("jsUrl", manifest.getString("module"))
                .put("cssUrl", manifest.getString("css", ""))
                .put("componentId", manifest.getString("tag")))
        .put("label", manifest.getString("label"))
        .put("tags", manifest.getJsonObject("tags", new JsonObject()).copy());
  }
}
