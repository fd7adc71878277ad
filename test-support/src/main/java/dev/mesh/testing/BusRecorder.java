package dev.mesh.testing;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Records every JSON message published to an event-bus address (e.g. the registry's change feed),
 * as a subscriber on a member would see them. Subscribe early (in {@code @BeforeAll}): other
 * members learn of a new subscription asynchronously.
 */
public final class BusRecorder implements AutoCloseable {

  private final String address;
  private final MessageConsumer<Object> consumer;
  private static final String SYNC = "recorder-sync";

  private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  private final Set<String> syncMarkers = ConcurrentHashMap.newKeySet();

  private BusRecorder(Vertx vertx, String address) {
    this.address = address;
    this.consumer =
        vertx
            .eventBus()
            .consumer(
                address,
                message -> {
                  Object body = message.body();
                  if (body instanceof JsonObject json && SYNC.equals(json.getString("type"))) {
                    syncMarkers.add(json.getString("id"));
                  } else {
                    messages.add(
                        body instanceof JsonObject json
                            ? json.copy()
                            : new JsonObject().put("nonJsonBody", String.valueOf(body)));
                  }
                });
  }

  /** Subscribes and returns once the subscription is registered in the cluster. */
  public static BusRecorder listen(Vertx vertx, String address) {
    BusRecorder recorder = new BusRecorder(vertx, address);
    TestCluster.await(recorder.consumer.completion());
    return recorder;
  }

  /**
   * Waits until messages published on another member reach this recorder: that member learns of the
   * subscription asynchronously, and would otherwise skip it for a moment. Publishes marker
   * messages ({@code {"type": "recorder-sync"}}, never recorded) from {@code publisher} until one
   * arrives. Other subscribers of the address see the markers: use it before the system under test
   * produces messages.
   */
  public BusRecorder syncWith(Vertx publisher) {
    String marker = UUID.randomUUID().toString();
    Poll.until(
        Duration.ofSeconds(10),
        "a message published on another member reaches the recorder on " + address,
        () -> {
          publisher
              .eventBus()
              .publish(address, new JsonObject().put("type", SYNC).put("id", marker));
          return syncMarkers.contains(marker);
        });
    return this;
  }

  /** Everything received so far, oldest first. */
  public List<JsonObject> messages() {
    return List.copyOf(messages);
  }

  public List<JsonObject> matching(Predicate<JsonObject> filter) {
    return messages.stream().filter(filter).toList();
  }

  /** Waits for the first message matching {@code filter} (possibly one already received). */
  public JsonObject await(Duration timeout, String what, Predicate<JsonObject> filter) {
    return Poll.until(
        timeout,
        what + " on " + address + " (received: " + summary() + ")",
        () -> messages.stream().filter(filter).findFirst().orElse(null),
        m -> m != null);
  }

  /** Forgets what was received so far. */
  public void clear() {
    messages.clear();
  }

  private String summary() {
    return messages.stream()
        .map(m -> m.getString("type") + ":" + m.getString("id"))
        .toList()
        .toString();
  }

  @Override
  public void close() {
    TestCluster.await(consumer.unregister());
  }
}
