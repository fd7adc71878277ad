package dev.mesh.gateway.doors;

import io.vertx.core.Future;
import java.util.List;

/**
 * One concern of the gateway (identity, layouts, the bridge, the proxy to the services, the pages,
 * operations): the doors it answers, which it contributes to the gateway's one route table ({@link
 * Doors}), and what it must do before the gateway serves.
 */
public interface Concern {

  /** Its name in the route table. */
  String name();

  /**
   * Its doors, in the order they are tried; the same objects on every call, so that a door is
   * mounted once.
   */
  List<Door> doors();

  /** What it prepares before the gateway listens (a schema, relays, a first read). */
  default Future<?> start() {
    return Future.succeededFuture();
  }
}
