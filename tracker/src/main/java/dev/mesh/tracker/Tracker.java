package dev.mesh.tracker;

import io.vertx.core.Deployable;

import java.util.List;
import java.util.function.Supplier;

/** The tracker's verticles, deployed alone by {@link TrackerMain} or beside the others by the all-in-one. */
public final class Tracker {

  private Tracker() {
  }

  public static List<Supplier<? extends Deployable>> verticles() {
    return List.of(TrackerVerticle::new);
  }
}
