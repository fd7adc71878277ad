package dev.mesh.testing;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid widget manifests, original-API registrations and event-bus registrations, with ids unique
 * within a test run: what the registry's tests, the widget-host's sidecar tests and the reliability
 * suite register.
 */
public final class TestManifests {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private TestManifests() {}

  /** A fresh id starting with {@code prefix}, unique in this JVM. */
  public static String id(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet();
  }

  /**
   * A manifest with every required field (and a couple of optional ones), valid against the
   * contract.
   */
  public static JsonObject manifest(String id) {
    return new JsonObject()
        .put("id", id)
        .put("tag", "w-" + id.toLowerCase(Locale.ROOT))
        .put("label", "Widget " + id)
        .put("description", "Test widget " + id)
        .put("module", "https://widgets.example.com/" + id + "/index.js")
        .put("version", "1.0.0")
        .put("owner", "team-test")
        .put("domain", "testing")
        .put("domainKind", "source-aligned")
        .put("tags", new JsonObject().put("env", "test"));
  }

  /** A body of the original datamesh API's {@code POST /api/v1/registry/{id}}. */
  public static JsonObject v1Registration(String id) {
    return new JsonObject()
        .put(
            "webComponent",
            new JsonObject()
                .put("jsUrl", "http://sidecar.example.com/" + id + "/bundle.js")
                .put("cssUrl", "http://sidecar.example.com/" + id + "/bundle.css")
                .put("componentId", "v1-" + id.toLowerCase(Locale.ROOT)))
        .put("label", "V1 widget " + id)
        .put("tags", new JsonObject().put("team", "legacy"));
  }

  /**
   * A request of the registry's event-bus API ({@code mesh.registry}) registering {@code manifest}
   * for {@code member}, as a widget-host sends it.
   */
  public static JsonObject busRegistration(JsonObject manifest, String member) {
    return new JsonObject()
        .put("action", "register")
        .put("manifest", manifest)
        .put("member", member);
  }
}
