package dev.mesh.tracker;

import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the collector's hits to the Kafka topic, keyed by site, never making the collector wait.
 * <p>
 * Every hit waits in a bounded buffer until Kafka acknowledges it ({@code acks=all}); a failed send goes
 * back to the buffer. While Kafka is unreachable nothing is sent: the topic is probed every second and,
 * once it answers, the buffer is drained. When the buffer is full, new hits are dropped and counted.
 * So an acknowledged hit is in Kafka, and an accepted one is either acknowledged, still buffered, or
 * counted as dropped. (A send whose acknowledgement was lost is sent again: at least once.)
 */
public final class HitPublisherVerticle extends MeshVerticle {

  /** Local bus address the collector hands hits to (this process only, not a cluster contract). */
  static final String HITS = "mesh.tracker.hits.local";
  private static final long RETRY_MS = 1000;
  private static final System.Logger LOG = System.getLogger(HitPublisherVerticle.class.getName());

  private final Deque<JsonObject> waiting = new ArrayDeque<>();
  private int inFlight;
  private int capacity;
  private boolean connected;
  private boolean connecting;
  private boolean stopping;
  private KafkaProducer<String, String> producer;
  private KafkaAdminClient admin;
  private HitTopic topic;
  private Counter published;
  private Counter dropped;
  private Gauge buffered;

  @Override
  protected Future<?> startService() {
    capacity = settings.positive(Setting.TRACKER_BUFFER_HITS);
    producer = KafkaProducer.create(vertx, KafkaClients.producer(settings, "mesh-tracker-publisher-" + node.nodeId()));
    admin = KafkaAdminClient.create(vertx, KafkaClients.admin(settings, "mesh-tracker-publisher-admin-" + node.nodeId()));
    topic = new HitTopic(admin, settings.string(Setting.TRACKER_TOPIC), settings.positive(Setting.TRACKER_TOPIC_PARTITIONS));
    published = TrackerMetrics.published(node.meterRegistry());
    dropped = TrackerMetrics.dropped(node.meterRegistry(), "buffer-full");
    buffered = Gauge.builder(TrackerMetrics.BUFFERED, this, HitPublisherVerticle::size)
      .description("Hits waiting for Kafka's acknowledgement").strongReference(true).register(node.meterRegistry());
    // not waited for: the collector answers while Kafka is away, and hits wait here until it comes
    connect();
    return vertx.eventBus().<JsonObject>localConsumer(HITS, message -> offer(message.body())).completion();
  }

  /** Hits buffered now, in flight to Kafka or waiting to be sent. */
  int size() {
    return waiting.size() + inFlight;
  }

  private void offer(JsonObject hit) {
    if (size() >= capacity) {
      dropped.increment();
      return;
    }
    waiting.add(hit);
    drain();
  }

  private void drain() {
    while (connected && !waiting.isEmpty()) {
      send(waiting.poll());
    }
  }

  private void send(JsonObject hit) {
    inFlight++;
    producer.send(KafkaProducerRecord.create(topic.name(), hit.getString("site"), hit.encode()))
      .onComplete(ack -> {
        inFlight--;
        if (ack.succeeded()) {
          published.increment();
        } else {
          // not acknowledged: back to the buffer, and no more sends until the topic answers again
          waiting.addFirst(hit);
          if (connected) {
            connected = false;
            LOG.log(System.Logger.Level.WARNING, "Kafka did not acknowledge a hit (" + ack.cause().getMessage()
              + "); buffering hits until it answers again");
            connect();
          }
        }
        drain();
      });
  }

  /** Probes the topic (creating it if needed) until it answers, then drains the buffer. */
  private void connect() {
    if (connecting || stopping) {
      return;
    }
    connecting = true;
    topic.ensure().onComplete(ready -> {
      connecting = false;
      if (ready.succeeded()) {
        connected = true;
        drain();
      } else if (!stopping) {
        vertx.setTimer(RETRY_MS, id -> connect());
      }
    });
  }

  /** Sends what is buffered if Kafka is there, waits for the acknowledgements, then lets go of the clients. */
  @Override
  protected Future<?> stopService() {
    drain();
    stopping = true;
    node.meterRegistry().remove(buffered);
    if (!waiting.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, waiting.size() + " hits were still waiting for Kafka when the publisher stopped");
    }
    long timeout = settings.positive(Setting.KAFKA_TIMEOUT_MILLIS);
    return producer.close(timeout).recover(e -> Future.succeededFuture())
      .eventually(() -> admin.close(timeout).recover(e -> Future.succeededFuture()));
  }
}
