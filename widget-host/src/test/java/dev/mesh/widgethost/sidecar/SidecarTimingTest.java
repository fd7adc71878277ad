package dev.mesh.widgethost.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's clock: backoff steps with their jitter, and the heartbeat read from the registry's
 * answer.
 */
class SidecarTimingTest {

  @Test
  void backoffDoublesFromHalfASecondToThirtySecondsWithinHalfToAllOfEachStep() {
    long[] steps = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int failures = 1; failures <= steps.length; failures++) {
      long step = steps[failures - 1];
      assertThat(Backoff.afterFailures(failures, () -> 0.0))
          .as("shortest after %d failures", failures)
          .isEqualTo(step / 2);
      assertThat(Backoff.afterFailures(failures, () -> 0.999999))
          .as("longest after %d failures", failures)
          .isBetween(step - 1, step);
    }
    assertThat(Backoff.afterFailures(1000, () -> 0.5)).isEqualTo(22500);
    assertThat(Backoff.slow(() -> 0.0)).isEqualTo(15000);
    assertThat(Backoff.slow(() -> 0.999999)).isBetween(29999L, 30000L);
  }

  @Test
  void heartbeatIsAThirdOfTheTtlTheRegistryAnswered() {
    assertThat(
            WidgetRegistration.heartbeatMillis(
                widget("2026-11-21T10:06:53.846Z", "2026-11-21T10:07:23.846Z")))
        .isEqualTo(10_000);
    assertThat(
            WidgetRegistration.heartbeatMillis(
                widget("2026-11-21T10:06:53.846Z", "2026-11-21T10:06:55.846Z")))
        .isEqualTo(666);
  }

  @Test
  void heartbeatFallsBackToTenSecondsWhenTheAnswerDoesNotTellTheTtl() {
    assertThat(WidgetRegistration.heartbeatMillis(null)).isEqualTo(10_000);
    assertThat(WidgetRegistration.heartbeatMillis(new JsonObject())).isEqualTo(10_000);
    assertThat(WidgetRegistration.heartbeatMillis(widget("2026-11-21T10:06:53.846Z", null)))
        .isEqualTo(10_000);
    assertThat(WidgetRegistration.heartbeatMillis(widget("yesterday", "2026-11-21T10:07:23.846Z")))
        .isEqualTo(10_000);
    assertThat(
            WidgetRegistration.heartbeatMillis(
                widget("2026-11-21T10:07:23.846Z", "2026-11-21T10:06:53.846Z")))
        .as("expiring before its last update")
        .isEqualTo(10_000);
  }

  private static JsonObject widget(String lastUpdated, String expiresAt) {
    return new JsonObject()
        .put("id", "w")
        .put("lastUpdated", lastUpdated)
        .put("expiresAt", expiresAt);
  }
}
