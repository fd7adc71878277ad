package dev.mesh.common;

/** Event-bus addresses that are contracts between services (and, through the bridge, the browser). */
public final class Addresses {

  /** Request/reply API of the registry for cluster members: {@code {"action": "register", ...}}. */
  public static final String REGISTRY = "mesh.registry";

  /**
   * The registry's change feed: {@code {"type": "registered|updated|expired|removed", "id", "widget",
   * "reason", "at"}}. Published to every subscriber; the bridge exposes it read-only.
   */
  public static final String REGISTRY_CHANGES = "mesh.registry.changes";

  private Addresses() {
  }
}
