package dev.mesh.registry;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;

/**
 * The registry's verticles, deployed alone by {@link RegistryMain} or beside the others by the
 * all-in-one.
 */
public final class Registry {

  private Registry() {}

  public static List<Supplier<? extends Deployable>> verticles() {
    return List.of(RegistryApiVerticle::new, RegistryBusVerticle::new, ExpiryVerticle::new);
  }
}
