package dev.mesh.bench;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.ServiceMain;
import dev.mesh.common.Setting;
import dev.mesh.tracker.Hit;
import dev.mesh.tracker.HitPublisherVerticle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tracker's hit publisher without the collector's HTTP in front of it (issue 9, item 2): what
 * Mesh's own path to Kafka acknowledges per second when hits come faster than Kafka takes them.
 *
 * <p>A generator on an event loop writes hits the way the collector does ({@link Hit#write}: ten
 * fields, a random id, the time) and hands them to {@link HitPublisherVerticle} on its local
 * address, keeping between a quarter and a half of the publisher's buffer on its way to Kafka so
 * that nothing is dropped and the publisher never waits for hits. Every 5 s it prints a line like
 * Kafka's ProducerPerformance: {@code <n> records acknowledged, <rate> records/sec (window)}, and
 * the count of dropped hits (should stay 0). Configured like any service (MESH_KAFKA_BOOTSTRAP,
 * MESH_TRACKER_BUFFER_HITS, ...).
 */
public final class PublisherNode {

  private PublisherNode() {}

  public static void main(String[] args) {
    ServiceMain.run("publisher", config -> List.of(HitPublisherVerticle::new, Generator::new));
  }

  /**
   * Tops up the publisher's buffer every millisecond and reports the acknowledged rate every 5 s.
   */
  static final class Generator extends VerticleBase {

    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
    private static final String[] PAGES = {
      "/", "/pricing", "/docs/start", "/blog/launch", "/about"
    };

    private Counter published;
    private Counter dropped;
    private long sent;
    private int low;
    private int high;

    @Override
    public Future<?> start() {
      MeterRegistry registry = MeshNode.of(vertx).meterRegistry();
      published = registry.find("mesh_tracker_hits_published").counter();
      dropped = registry.find("mesh_tracker_hits_dropped").counter();
      if (published == null || dropped == null) {
        return Future.failedFuture(
            "the hit publisher's meters are missing: was it deployed first?");
      }
      int capacity = MeshConfig.of(config()).positive(Setting.TRACKER_BUFFER_HITS);
      Hit.useOn(vertx.eventBus());
      low = capacity / 4;
      high = capacity / 2;
      vertx.setPeriodic(1, id -> topUp());
      long[] last = {System.nanoTime(), 0};
      vertx.setPeriodic(
          5000,
          id -> {
            long now = System.nanoTime();
            long acknowledged = (long) published.count();
            System.out.printf(
                "%d records acknowledged, %.1f records/sec (window), %d dropped%n",
                acknowledged - last[1],
                (acknowledged - last[1]) / ((now - last[0]) / 1e9),
                (long) dropped.count());
            last[0] = now;
            last[1] = acknowledged;
          });
      return Future.succeededFuture();
    }

    private void topUp() {
      // on their way to Kafka or still on the bus: what the publisher has yet to see acknowledged
      long waiting = sent - (long) published.count() - (long) dropped.count();
      if (waiting >= low) {
        return;
      }
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (long i = waiting; i < high; i++, sent++) {
        Hit hit =
            Hit.write(
                new UUID(random.nextLong(), random.nextLong()).toString(),
                System.currentTimeMillis(),
                "bench.example",
                "pageview",
                PAGES[random.nextInt(PAGES.length)],
                "search.example",
                Long.toHexString(random.nextLong()),
                "1920x1080",
                "pixel",
                null);
        vertx.eventBus().send(HitPublisherVerticle.HITS, hit, LOCAL);
      }
    }
  }
}
