package dev.mesh.tracker;

import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the collector's hits (each a {@link Hit}, encoded by the collector) to the Kafka topic,
 * keyed by site, never making the collector wait.
 *
 * <p>Every hit waits in a bounded buffer until Kafka acknowledges it ({@code acks=all}); a failed
 * send goes back to the buffer. While Kafka is unreachable nothing is sent: the topic is probed
 * every second and, once it answers, the buffer is drained. When the buffer is full, new hits are
 * dropped and counted. So an acknowledged hit is in Kafka, and an accepted one is either
 * acknowledged, still buffered, or counted as dropped. (A send whose acknowledgement was lost is
 * sent again: at least once.)
 *
 * <p>Hits are handed to Kafka's producer in batches, on a worker (its {@code send} may block on
 * metadata or a full buffer): one hand-over for everything buffered since the last one, instead of
 * the Vert.x client's worker hop and context hop per record, which cost more than the collector's
 * own work.
 */
public final class HitPublisherVerticle extends MeshVerticle {

  /** Local bus address the collector hands hits to (this process only, not a cluster contract). */
  public static final String HITS = "mesh.tracker.hits.local";

  private static final long RETRY_MS = 1000;
  private static final int MAX_BATCH = 2000;
  private static final System.Logger LOG = System.getLogger(HitPublisherVerticle.class.getName());

  private final Deque<Hit> waiting = new ArrayDeque<>();

  /** Handed to the producer, not yet acknowledged; counted down on Kafka's I/O thread. */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Sends Kafka failed, on their way back to the buffer (filled on Kafka's I/O thread). */
  private final Queue<Hit> refused = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean refusalsNoticed = new AtomicBoolean();

  /** The batch being handed to the producer, or the last one handed; one at a time. */
  private Future<Void> handing = Future.succeededFuture();

  private int capacity;
  private boolean connected;
  private boolean connecting;
  private boolean stopping;
  private KafkaProducer<String, byte[]> producer;
  private Producer<String, byte[]> kafka;
  private KafkaAdminClient admin;
  private HitTopic topic;
  private Counter published;
  private Counter dropped;
  private Gauge buffered;

  @Override
  protected Future<?> startService() {
    capacity = settings.positive(Setting.TRACKER_BUFFER_HITS);
    producer =
        KafkaProducer.create(
            vertx, KafkaClients.producer(settings, "mesh-tracker-publisher-" + node.nodeId()));
    kafka = producer.unwrap();
    admin =
        KafkaAdminClient.create(
            vertx, KafkaClients.admin(settings, "mesh-tracker-publisher-admin-" + node.nodeId()));
    topic =
        new HitTopic(
            admin,
            settings.string(Setting.TRACKER_TOPIC),
            settings.positive(Setting.TRACKER_TOPIC_PARTITIONS));
    published = TrackerMetrics.published(node.meterRegistry());
    dropped = TrackerMetrics.dropped(node.meterRegistry(), "buffer-full");
    buffered =
        Gauge.builder(TrackerMetrics.BUFFERED, this, HitPublisherVerticle::size)
            .description("Hits waiting for Kafka's acknowledgement")
            .strongReference(true)
            .register(node.meterRegistry());
    // not waited for: the collector answers while Kafka is away, and hits wait here until it comes
    connect();
    Hit.useOn(vertx.eventBus());
    return vertx.eventBus().<Hit>localConsumer(HITS, message -> offer(message.body())).completion();
  }

  /**
   * Hits buffered now: waiting to be sent, in flight to Kafka, or refused and going back to wait.
   */
  int size() {
    return waiting.size() + inFlight.get() + refused.size();
  }

  private void offer(Hit hit) {
    if (size() >= capacity) {
      dropped.increment();
      return;
    }
    waiting.add(hit);
    drain();
  }

  /** Hands what waits to the producer, one batch at a time. */
  private void drain() {
    if (!connected || !handing.isComplete() || waiting.isEmpty()) {
      return;
    }
    List<Hit> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    while (batch.size() < MAX_BATCH && !waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    inFlight.addAndGet(batch.size());
    handing =
        vertx
            .executeBlocking(
                () -> {
                  for (Hit hit : batch) {
                    try {
                      kafka.send(
                          new ProducerRecord<>(topic.name(), hit.site(), hit.json()),
                          (metadata, error) -> acknowledged(hit, error));
                    } catch (RuntimeException e) {
                      acknowledged(hit, e);
                    }
                  }
                  return null;
                },
                false)
            .mapEmpty();
    handing.onComplete(handed -> drain());
  }

  /** Completes once no batch is being handed over and nothing waits (or Kafka is away). */
  private Future<Void> handOverAll() {
    return handing
        .recover(e -> Future.succeededFuture())
        .compose(
            v -> {
              if (!connected || waiting.isEmpty()) {
                return Future.succeededFuture();
              }
              drain();
              return handOverAll();
            });
  }

  /** On Kafka's I/O thread (or the worker): counts the hit, or queues it to be buffered again. */
  private void acknowledged(Hit hit, Exception error) {
    if (error == null) {
      published.increment();
      inFlight.decrementAndGet();
      return;
    }
    refused.add(hit);
    inFlight.decrementAndGet();
    if (refusalsNoticed.compareAndSet(false, true)) {
      context.runOnContext(v -> takeBackRefused(error));
    }
  }

  /**
   * Not acknowledged: back to the front of the buffer, and no more sends until the topic answers
   * again.
   */
  private void takeBackRefused(Exception error) {
    refusalsNoticed.set(false);
    List<Hit> back = new ArrayList<>();
    for (Hit hit = refused.poll(); hit != null; hit = refused.poll()) {
      back.add(hit);
    }
    for (int i = back.size() - 1; i >= 0; i--) {
      waiting.addFirst(back.get(i));
    }
    if (connected) {
      connected = false;
      LOG.log(
          System.Logger.Level.WARNING,
          "Kafka did not acknowledge a hit ("
              + error.getMessage()
              + "); buffering hits until it answers again");
      connect();
    }
  }

  /** Probes the topic (creating it if needed) until it answers, then drains the buffer. */
  private void connect() {
    if (connecting || stopping) {
      return;
    }
    connecting = true;
    topic
        .ensure()
        .onComplete(
            ready -> {
              connecting = false;
              if (ready.succeeded()) {
                connected = true;
                drain();
              } else if (!stopping) {
                vertx.setTimer(RETRY_MS, id -> connect());
              }
            });
  }

  /**
   * Sends what is buffered if Kafka is there, waits for the acknowledgements, then lets go of the
   * clients.
   */
  @Override
  protected Future<?> stopService() {
    stopping = true;
    long timeout = settings.positive(Setting.KAFKA_TIMEOUT_MILLIS);
    // everything buffered handed over, then close() waits for the acknowledgements
    return handOverAll()
        .compose(
            v -> {
              node.meterRegistry().remove(buffered);
              if (!waiting.isEmpty()) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    waiting.size()
                        + " hits were still waiting for Kafka when the publisher stopped");
              }
              return producer.close(timeout);
            })
        .recover(e -> Future.succeededFuture())
        .eventually(() -> admin.close(timeout).recover(e -> Future.succeededFuture()));
  }
}
