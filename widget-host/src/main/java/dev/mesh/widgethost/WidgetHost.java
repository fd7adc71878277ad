package dev.mesh.widgethost;

import io.vertx.core.Deployable;

import java.util.List;
import java.util.function.Supplier;

/** The widget-host's verticles, deployed alone by {@link WidgetHostMain} or beside the others by the all-in-one. */
public final class WidgetHost {

  private WidgetHost() {
  }

  public static List<Supplier<? extends Deployable>> verticles() {
    return List.of(WidgetHostVerticle::new);
  }
}
