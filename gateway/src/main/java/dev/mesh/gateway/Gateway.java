package dev.mesh.gateway;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gateway's verticles, deployed alone by {@link GatewayMain} or beside the others by the
 * all-in-one.
 */
public final class Gateway {

  private Gateway() {}

  public static List<Supplier<? extends Deployable>> verticles() {
    return List.of(GatewayVerticle::new);
  }
}
