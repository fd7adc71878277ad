package dev.mesh.widgethost;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;

/**
 * The widget-host's verticles, deployed alone by {@link WidgetHostMain} or beside the others by the
 * all-in-one.
 */
public final class WidgetHost {

  private WidgetHost() {}

  /**
   * In this order: the catalog is filled before the server listens, and served before it is
   * registered.
   */
  public static List<Supplier<? extends Deployable>> verticles() {
    return List.of(WidgetWatchVerticle::new, WidgetHostVerticle::new, WidgetRegistrarVerticle::new);
  }
}
