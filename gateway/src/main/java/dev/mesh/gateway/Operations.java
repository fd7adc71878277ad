package dev.mesh.gateway;

import dev.mesh.common.Health;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import java.util.List;

/**
 * Health and metrics, as every Mesh service serves them: mounted by the base router every service
 * starts from ({@code MeshVerticle.router}, with {@link Health}), before the table. They are rows
 * here all the same, so the table lists every door of the gateway. Public: Kubernetes' probes and
 * Prometheus ask them without a person behind.
 */
final class Operations implements Concern {

  private static final String BASE_ROUTER = "MeshVerticle.router";

  private static final List<Door> DOORS =
      List.of(
          Door.get(Health.LIVE_PATH, AccessRule.PUBLIC).mountedBy(BASE_ROUTER),
          Door.get(Health.READY_PATH, AccessRule.PUBLIC).mountedBy(BASE_ROUTER),
          Door.get("/metrics", AccessRule.PUBLIC).mountedBy(BASE_ROUTER));

  @Override
  public String name() {
    return "operations";
  }

  @Override
  public List<Door> doors() {
    return DOORS;
  }
}
