package dev.mesh.registry;

/** Who registered a widget, which decides how it stays alive. */
enum Source {
  /** {@code PUT /api/widgets/{id}}: lives while heartbeats arrive within the TTL. */
  REST,
  /**
   * The original datamesh API, {@code POST /api/v1/registry/{id}}: lives like a REST registration.
   */
  V1,
  /** A cluster member over the bus: lives while that member is in the cluster. */
  MEMBER;

  String id() {
    return name().toLowerCase();
  }
}
