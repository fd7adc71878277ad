package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestManifests;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change feed on {@code mesh.registry.changes} as a subscriber (the dashboard, through the
 * bridge) sees it, and the life of REST registrations: heartbeats keep them, silence expires them.
 */
class ChangeFeedAndExpiryTest {

  private static final int TTL_SECONDS = 3;

  /** TTL, plus sweeps every 250 ms, plus a generous margin for a busy 2-core machine. */
  private static final Duration EXPIRY_BOUND = Duration.ofSeconds(TTL_SECONDS + 7);

  @RegisterExtension
  static final RegistryUnderTest registry = RegistryUnderTest.of(RegistryClient.TOKEN, TTL_SECONDS);

  @Test
  void feedReportsRegisteredUpdatedAndRemovedButNotIdenticalRefreshes() {
    String id = TestManifests.id("feed");
    JsonObject manifest = TestManifests.manifest(id);

    JsonObject created = registry.client().register(manifest);
    JsonObject registered = await("registered", id);
    assertThat(registered.getJsonObject("widget")).isEqualTo(created);
    assertThat(registered.containsKey("reason")).isFalse();
    assertThat(Instant.parse(registered.getString("at")))
        .isBetween(Instant.now().minusSeconds(30), Instant.now().plusSeconds(1));

    registry.client().register(manifest); // identical refresh: nothing to tell
    JsonObject changed = manifest.copy().put("label", "Changed " + id);
    JsonObject afterChange = registry.client().register(changed);
    JsonObject updated = await("updated", id);
    assertThat(updated.getJsonObject("widget")).isEqualTo(afterChange);
    assertThat(updated.getJsonObject("widget").getJsonObject("manifest").getString("label"))
        .isEqualTo("Changed " + id);

    assertThat(registry.client().delete(id).statusCode()).isEqualTo(204);
    JsonObject removed = await("removed", id);
    assertThat(removed.getString("reason")).isEqualTo("deregistered");
    assertThat(removed.getJsonObject("widget").getJsonObject("manifest")).isEqualTo(changed);

    // the feed of one publisher is ordered: had the identical refresh produced an event, it would
    // be here
    assertThat(changesOf(id))
        .extracting(c -> c.getString("type"))
        .containsExactly("registered", "updated", "removed");
  }

  @Test
  void everyEventHasTheDocumentedShape() {
    String id = TestManifests.id("shape");
    registry.client().register(TestManifests.manifest(id));
    JsonObject event = await("registered", id);

    assertThat(event.fieldNames()).containsExactlyInAnyOrder("type", "id", "widget", "at");
    assertThat(event.getJsonObject("widget").fieldNames())
        .containsExactlyInAnyOrder(
            "id", "manifest", "source", "member", "registeredAt", "lastUpdated", "expiresAt");
    registry.client().delete(id);
    assertThat(await("removed", id).fieldNames())
        .containsExactlyInAnyOrder("type", "id", "widget", "reason", "at");
  }

  @Test
  void silentRegistrationExpiresAndHeartbeatedOneStays() throws InterruptedException {
    String silent = TestManifests.id("silent");
    String beating = TestManifests.id("beating");
    String legacy = TestManifests.id("legacy");
    registry.client().register(TestManifests.manifest(silent));
    registry.client().register(TestManifests.manifest(beating));
    assertThat(
            registry.client().v1Register(legacy, TestManifests.v1Registration(legacy)).statusCode())
        .isEqualTo(200);

    AtomicBoolean beat = new AtomicBoolean(true);
    Thread heart =
        new Thread(
            () -> {
              while (beat.get()) {
                assertThat(registry.client().heartbeat(beating).statusCode()).isEqualTo(200);
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heartbeats");
    heart.start();
    try {
      Poll.until(
          EXPIRY_BOUND,
          silent + " expires without heartbeats",
          () -> registry.client().widget(silent) == null);
      Poll.until(
          EXPIRY_BOUND,
          "v1 registration " + legacy + " expires when not repeated",
          () -> registry.client().widget(legacy) == null);
      assertThat(registry.client().ids()).doesNotContain(silent, legacy);
      assertThat(registry.client().get("/api/v1/registry/" + legacy).statusCode()).isEqualTo(404);

      // keep beating for another full TTL after the silent one went
      Thread.sleep(TTL_SECONDS * 1000L + 500);
      assertThat(heart.isAlive()).as("heartbeats were all answered 200").isTrue();
      assertThat(registry.client().widget(beating))
          .as("heartbeated for more than twice its TTL")
          .isNotNull();
    } finally {
      beat.set(false);
      heart.join();
    }

    JsonObject expired = await("expired", silent);
    assertThat(expired.getString("reason")).isEqualTo("ttl");
    assertThat(expired.getJsonObject("widget").getString("id")).isEqualTo(silent);
    assertThat(await("expired", legacy).getString("reason")).isEqualTo("ttl");
    assertThat(changesOf(beating))
        .extracting(c -> c.getString("type"))
        .containsExactly("registered");

    Poll.until(
        EXPIRY_BOUND,
        beating + " expires once heartbeats stop",
        () -> registry.client().widget(beating) == null);
    assertThat(await("expired", beating).getString("reason")).isEqualTo("ttl");
    assertThat(registry.client().heartbeat(beating).statusCode())
        .as("heartbeat after expiry")
        .isEqualTo(404);
    assertThat(changesOf(silent))
        .extracting(c -> c.getString("type"))
        .as("expired once")
        .containsExactly("registered", "expired");
  }

  @Test
  void reRegistrationAfterExpiryIsANewRegistration() {
    String id = TestManifests.id("again");
    JsonObject first = registry.client().register(TestManifests.manifest(id));
    Poll.until(EXPIRY_BOUND, id + " expires", () -> registry.client().widget(id) == null);

    var response = registry.client().put(id, TestManifests.manifest(id));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(Instant.parse(response.bodyAsJsonObject().getString("registeredAt")))
        .isAfter(Instant.parse(first.getString("registeredAt")));
    Poll.until(
        Duration.ofSeconds(5),
        "second registered event of " + id,
        () ->
            changesOf(id).stream().filter(c -> "registered".equals(c.getString("type"))).count()
                == 2);
    registry.client().delete(id);
  }

  /**
   * A heartbeat the registry answers 200 (with a later expiresAt) must keep the widget registered.
   * BUG (WidgetStore.expire, line 155): before removing a record the sweep re-reads it under the
   * widget's lock but only compares {@code lastUpdated}, which a heartbeat does not change
   * (heartbeat, lines 87-92, only moves {@code expiresAt}). A heartbeat that takes the lock between
   * the sweep's read of the records and its removal is answered 200, and the widget is removed
   * right after ("expired", reason "ttl"). The window is widened here by holding the widget's
   * cluster lock ({@code mesh.registry.<id>}, see WidgetStore.locked) while the heartbeat and then
   * the sweep queue for it; the heartbeat is sent a full second before the TTL ends. Whichever of
   * the two gets the lock first, the outcome must be consistent.
   */
  @Test
  void heartbeatAnsweredOkIsNeverUndoneByAConcurrentSweep() throws Exception {
    String id = TestManifests.id("race");
    registry.client().register(TestManifests.manifest(id));
    long registered = System.currentTimeMillis();
    Thread.sleep(1000);

    Lock lock =
        TestCluster.await(
            registry.node().vertx().sharedData().getLockWithTimeout("mesh.registry." + id, 5000));
    CompletableFuture<Integer> heartbeat;
    try {
      heartbeat = CompletableFuture.supplyAsync(() -> registry.client().heartbeat(id).statusCode());
      // past the original expiry, with several sweeps: one of them has read the record and waits
      // for the lock
      Thread.sleep(
          Math.max(0, registered + TTL_SECONDS * 1000L + 750 - System.currentTimeMillis()));
    } finally {
      lock.release();
    }
    int status = heartbeat.get();
    Thread.sleep(1000); // well within the TTL the heartbeat granted

    if (status == 200) {
      assertThat(registry.client().widget(id))
          .as("widget whose heartbeat was answered 200")
          .isNotNull();
      assertThat(changesOf(id)).extracting(c -> c.getString("type")).containsExactly("registered");
      registry.client().delete(id);
    } else {
      assertThat(status).as("heartbeat after the sweep removed the widget").isEqualTo(404);
      assertThat(registry.client().widget(id)).isNull();
    }
  }

  private static JsonObject await(String type, String id) {
    return registry
        .changes()
        .await(
            Duration.ofSeconds(10),
            type + " " + id,
            c -> id.equals(c.getString("id")) && type.equals(c.getString("type")));
  }

  private static List<JsonObject> changesOf(String id) {
    return registry.changes().matching(c -> id.equals(c.getString("id")));
  }
}
