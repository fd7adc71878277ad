package dev.mesh.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for something that happens asynchronously ("the widget is gone within 10 s"): polls the
 * condition every 100 ms and fails with a description and the last value seen when time runs out.
 * Never an assertion about how fast something is, only that it happens at all within a generous
 * bound.
 */
public final class Poll {

  private static final long INTERVAL_MS = 100;

  private Poll() {}

  /** Polls until {@code condition} holds; an exception thrown by it counts as "not yet". */
  public static void until(Duration timeout, String what, Supplier<Boolean> condition) {
    until(timeout, what, condition, Boolean.TRUE::equals);
  }

  /** Polls {@code value} until {@code accepted} holds for it, and returns that value. */
  public static <T> T until(
      Duration timeout, String what, Supplier<T> value, Predicate<? super T> accepted) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (true) {
      try {
        T current = value.get();
        last = current;
        if (accepted.test(current)) {
          return current;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Not within " + timeout.toMillis() + " ms: " + what + " (last seen: " + last + ")");
      }
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting: " + what, e);
      }
    }
  }
}
