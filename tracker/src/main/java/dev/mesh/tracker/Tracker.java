package dev.mesh.tracker;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tracker's verticles, deployed alone by {@link TrackerMain} or beside the others by the
 * all-in-one: the publisher first, so the collector's first hit finds it; the collector (pixel,
 * beacon, script); the projections; the live feed; the query API.
 */
public final class Tracker {

  private Tracker() {}

  public static List<Supplier<? extends Deployable>> verticles() {
    return List.of(
        HitPublisherVerticle::new,
        CollectorVerticle::new,
        ProjectionVerticle::new,
        LiveFeedVerticle::new,
        TrackerQueryVerticle::new);
  }
}
