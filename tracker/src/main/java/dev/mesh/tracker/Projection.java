package dev.mesh.tracker;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one projection version from the hits topic: poll a batch, apply it in one transaction with
 * its offsets, poll the next. Partitions are shared with the other instances through the consumer
 * group {@code <topic>.projection-v<version>}; a partition this instance receives is first moved to
 * the offset stored with the projection (or the start of the topic), so that a crash and the
 * redelivery that follows never count a hit twice.
 */
final class Projection {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final long RETRY_MS = 1000;
  private static final System.Logger LOG = System.getLogger(Projection.class.getName());

  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final ProjectionStore store;
  private final String topic;
  private final Counter projected;
  private final Counter skipped;
  private final Set<TopicPartition> assigned = new HashSet<>();

  /**
   * Partitions whose consumer position may differ from the stored offsets: moved before the next
   * poll.
   */
  private final Set<TopicPartition> toSeek = new HashSet<>();

  private boolean stopping;
  private Future<?> step = Future.succeededFuture();

  Projection(
      Vertx vertx,
      KafkaConsumer<String, String> consumer,
      ProjectionStore store,
      String topic,
      Counter projected,
      Counter skipped) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.store = store;
    this.topic = topic;
    this.projected = projected;
    this.skipped = skipped;
  }

  /**
   * The consumer group of a version: named after the topic too, so trackers on other topics never
   * share it.
   */
  static String group(String topic, int version) {
    return topic + ".projection-v" + version;
  }

  Future<Void> start() {
    // the handlers run on this verticle's event loop before the poll that caused them completes
    consumer.partitionsAssignedHandler(
        partitions -> {
          LOG.log(
              System.Logger.Level.DEBUG,
              "Projection v" + store.version() + " assigned " + partitions);
          assigned.addAll(partitions);
          toSeek.addAll(partitions);
        });
    consumer.partitionsRevokedHandler(
        partitions -> {
          assigned.removeAll(partitions);
          toSeek.removeAll(partitions);
        });
    return store
        .create()
        .compose(v -> consumer.subscribe(topic))
        .onSuccess(v -> vertx.runOnContext(x -> loop()));
  }

  private void loop() {
    if (stopping) {
      return;
    }
    step =
        seekIfNeeded()
            .compose(v -> consumer.poll(POLL))
            .compose(this::apply)
            .onComplete(
                done -> {
                  if (done.succeeded()) {
                    loop();
                  } else {
                    LOG.log(
                        System.Logger.Level.WARNING,
                        "Projection v"
                            + store.version()
                            + " could not apply a batch, retrying: "
                            + done.cause().getMessage());
                    // the batch was polled but not applied: read it again from the stored offsets
                    toSeek.addAll(assigned);
                    vertx.setTimer(RETRY_MS, id -> loop());
                  }
                });
  }

  /**
   * Moves the partitions that need it to their stored offsets, or to the start of the topic when
   * none is stored.
   */
  private Future<Void> seekIfNeeded() {
    if (toSeek.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<TopicPartition> partitions = new HashSet<>(toSeek);
    return store
        .storedOffsets()
        .compose(
            stored -> {
              LOG.log(
                  System.Logger.Level.DEBUG,
                  "Projection v" + store.version() + " seeks " + partitions + " to " + stored);
              List<Future<Void>> seeks = new ArrayList<>();
              for (TopicPartition partition : partitions) {
                Long next = stored.get(partition.getPartition());
                seeks.add(
                    next == null
                        ? consumer.seekToBeginning(partition)
                        : consumer.seek(partition, next));
              }
              return Future.all(seeks)
                  .<Void>mapEmpty()
                  .onSuccess(v -> toSeek.removeAll(partitions));
            });
  }

  private Future<Void> apply(KafkaConsumerRecords<String, String> records) {
    if (!toSeek.isEmpty()) {
      // partitions were (re)assigned during this poll: its records may come from anywhere; read
      // them again
      toSeek.addAll(assigned);
      return Future.succeededFuture();
    }
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    List<ProjectionStore.Delivered> batch = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      batch.add(new ProjectionStore.Delivered(record.partition(), record.offset(), record.value()));
    }
    return store
        .apply(batch)
        .map(
            applied -> {
              LOG.log(
                  System.Logger.Level.TRACE,
                  "Projection v" + store.version() + " applied " + applied + " of " + batch.size());
              projected.increment(applied.applied());
              skipped.increment(applied.skipped());
              if (applied.invalid() > 0) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Projection v"
                        + store.version()
                        + " skipped "
                        + applied.invalid()
                        + " records that are not hits (see contracts/tracker-hit.schema.json)");
              }
              for (Map.Entry<Integer, Long> gap : applied.gaps().entrySet()) {
                toSeek.add(new TopicPartition(topic, gap.getKey()));
              }
              return null;
            });
  }

  /** Lets the batch under way finish (or fail), then leaves the consumer group. */
  Future<Void> stop() {
    stopping = true;
    Promise<Void> stopped = Promise.promise();
    step.onComplete(done -> consumer.close().onComplete(stopped));
    return stopped.future();
  }
}
