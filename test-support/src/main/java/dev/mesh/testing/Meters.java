package dev.mesh.testing;

import dev.mesh.common.MeshNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;

/** A member's meters as a test reads them: 0 for one that has not been registered (yet). */
public final class Meters {

  private Meters() {}

  public static double counter(MeshNode node, String name) {
    Counter counter = node.meterRegistry().find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The counter of {@code name} with {@code tag}={@code value} (any tags when tag is null). */
  public static double counter(MeshNode node, String name, String tag, String value) {
    if (tag == null) {
      return counter(node, name);
    }
    Counter counter = node.meterRegistry().find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  public static double gauge(MeshNode node, String name) {
    Gauge gauge = node.meterRegistry().find(name).gauge();
    return gauge == null ? 0 : gauge.value();
  }
}
