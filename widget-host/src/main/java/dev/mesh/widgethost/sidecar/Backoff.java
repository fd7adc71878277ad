package dev.mesh.widgethost.sidecar;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between attempts while the registry is away: 0.5 s doubling up to 30 s. Each delay is
 * drawn between half and all of its step, so the sidecars of a whole cluster do not all call a
 * registry that just came back in the same instant, yet none of them retries in a tight loop.
 */
final class Backoff {

  static final Duration FIRST = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(30);

  private Backoff() {}

  /** Delay before the next attempt after {@code failures} failed attempts in a row (1 or more). */
  static long afterFailures(int failures, DoubleSupplier random) {
    long step = FIRST.toMillis();
    for (int i = 1; i < failures && step < MAX.toMillis(); i++) {
      step *= 2;
    }
    return jitter(Math.min(step, MAX.toMillis()), random);
  }

  /** Delay after a refusal that only a change of configuration can cure: the longest step. */
  static long slow(DoubleSupplier random) {
    return jitter(MAX.toMillis(), random);
  }

  private static long jitter(long step, DoubleSupplier random) {
    return step / 2 + (long) (random.getAsDouble() * (step - step / 2));
  }
}
