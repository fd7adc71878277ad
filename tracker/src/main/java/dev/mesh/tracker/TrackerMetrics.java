package dev.mesh.tracker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The tracker's counters, on the node's Prometheus registry ({@code /metrics}). Registering a meter
 * that exists returns it, so verticles deployed again keep counting on the same series.
 */
final class TrackerMetrics {

  /**
   * Requests to the collector, by what became of them ({@code outcome} = accepted, bot, dnt, ...).
   */
  static final String RECEIVED = "mesh_tracker_hits_received";

  /** Hits acknowledged by Kafka. */
  static final String PUBLISHED = "mesh_tracker_hits_published";

  /** Accepted hits that could not be kept for Kafka ({@code reason} = buffer-full). */
  static final String DROPPED = "mesh_tracker_hits_dropped";

  /** Hits currently waiting for Kafka's acknowledgement. */
  static final String BUFFERED = "mesh_tracker_buffered_hits";

  /**
   * Records applied to a projection, and redelivered records recognised and skipped ({@code
   * version}).
   */
  static final String PROJECTED = "mesh_tracker_projected_hits";

  static final String SKIPPED = "mesh_tracker_projection_skipped_hits";

  private final Map<Collector.Outcome, Counter> received = new EnumMap<>(Collector.Outcome.class);

  TrackerMetrics(MeterRegistry registry) {
    for (Collector.Outcome outcome : Collector.Outcome.values()) {
      received.put(
          outcome,
          Counter.builder(RECEIVED)
              .description(
                  "Collector requests by outcome: accepted, or dropped as bot, dnt, invalid, unknown-site, no-salt")
              .tag("outcome", outcome.tag)
              .register(registry));
    }
  }

  void received(Collector.Outcome outcome) {
    received.get(outcome).increment();
  }

  static Counter published(MeterRegistry registry) {
    return Counter.builder(PUBLISHED).description("Hits acknowledged by Kafka").register(registry);
  }

  static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder(DROPPED)
        .description("Accepted hits dropped before Kafka acknowledged them, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  static Counter projected(MeterRegistry registry, int version) {
    return Counter.builder(PROJECTED)
        .description("Hits applied to a projection version")
        .tag("version", String.valueOf(version))
        .register(registry);
  }

  static Counter skipped(MeterRegistry registry, int version) {
    return Counter.builder(SKIPPED)
        .description("Redelivered hits a projection version had already applied")
        .tag("version", String.valueOf(version))
        .register(registry);
  }
}
