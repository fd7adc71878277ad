package dev.mesh.bench;

import dev.mesh.common.ServiceMain;
import dev.mesh.tracker.CollectorVerticle;
import dev.mesh.tracker.HitPublisherVerticle;
import java.util.List;

/**
 * The tracker's collector alone: the pixel, beacon and script, publishing every hit to Kafka. What
 * a deployment runs to take a site's traffic, without the projections and the query API that read
 * the topic elsewhere; the benchmarks measure its CPU. Configured like any service (MESH_*
 * variables).
 */
public final class CollectorNode {

  private CollectorNode() {}

  public static void main(String[] args) {
    ServiceMain.run(
        "collector", config -> List.of(HitPublisherVerticle::new, CollectorVerticle::new));
  }
}
