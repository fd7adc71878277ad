package dev.mesh.tracker;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pushes new hits to dashboards: reads the hits topic as they arrive and publishes, per site, what
 * just came in on {@link Addresses#TRACKER_LIVE} (the gateway's bridge exposes it read-only). A
 * site's first hit after a quiet spell goes out at once, later ones are gathered until 750 ms have
 * passed since its previous message, so a busy site costs under two messages a second and every hit
 * shows within one. Each message says how many views each page got and from which sources, and how
 * many visitors were seen in the last five minutes, counted from the log: on start the last five
 * minutes are read again.
 *
 * <p>Partitions are shared by the instances of the consumer group {@code <topic>.live}; all of a
 * site's hits are in one partition (the key is the site), so each site is announced by one
 * instance.
 */
public final class LiveFeedVerticle extends MeshVerticle {

  static final long WINDOW_MS = 5 * 60_000;
  // under a second, so that a hit gathered into the next message still shows within a second
  private static final long SITE_INTERVAL_MS = 750;
  private static final long EXPIRY_CHECK_MS = 5000;

  /** What a site's next message will say. */
  private static final class Pending {
    long views;
    long events;
    final Map<String, Long> pages = new TreeMap<>();

    /** Per page, its views by source: a widget narrowed to one page can update its sources too. */
    final Map<String, Map<String, Long>> referrers = new TreeMap<>();
  }

  private KafkaConsumer<String, String> consumer;

  /** Per site, each visitor's latest hit time: the five-minute window of "visitors now". */
  private final Map<String, Map<String, Long>> window = new HashMap<>();

  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Long> lastPublished = new HashMap<>();
  private final Map<String, Integer> lastVisitorsNow = new HashMap<>();
  private final Set<String> scheduled = new HashSet<>();

  /**
   * Per partition, the highest offset already announced (a seek back re-reads records: counted
   * once).
   */
  private final Map<Integer, Long> announced = new HashMap<>();

  /**
   * Hits older than this only fill the window: they were not news when this instance got the
   * partition.
   */
  private long liveSince;

  @Override
  protected Future<?> startService() {
    String topic = settings.string(Setting.TRACKER_TOPIC);
    consumer =
        KafkaConsumer.create(
            vertx,
            KafkaClients.consumer(
                settings, "mesh-tracker-live-" + node.nodeId(), topic + ".live", "latest"));
    consumer.partitionsAssignedHandler(this::rewind);
    consumer.batchHandler(this::onBatch);
    // a record handler is required for the stream to run; the batch handler above sees every record
    consumer.handler(record -> {});
    consumer.exceptionHandler(
        e -> {
          /* the consumer reconnects by itself; nothing to announce meanwhile */
        });
    vertx.setPeriodic(EXPIRY_CHECK_MS, id -> announceExpiries());
    return consumer.subscribe(topic);
  }

  /**
   * A partition received: read its last five minutes again, so "visitors now" is right from the
   * start.
   */
  private void rewind(Set<TopicPartition> partitions) {
    long now = System.currentTimeMillis();
    liveSince = now;
    for (TopicPartition partition : partitions) {
      consumer
          .offsetsForTimes(partition, now - WINDOW_MS)
          .onSuccess(
              found -> {
                if (found != null) {
                  consumer.seek(partition, found.getOffset());
                }
              });
    }
  }

  private void onBatch(KafkaConsumerRecords<String, String> records) {
    Set<String> touched = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      JsonObject hit = parse(record.value());
      if (hit == null) {
        continue;
      }
      String site = hit.getString("site");
      long ts = hit.getLong("ts", 0L);
      window
          .computeIfAbsent(site, s -> new HashMap<>())
          .merge(hit.getString("visitor"), ts, Math::max);
      long highest = announced.getOrDefault(record.partition(), -1L);
      if (record.offset() <= highest || ts < liveSince) {
        continue;
      }
      announced.put(record.partition(), record.offset());
      Pending next = pending.computeIfAbsent(site, s -> new Pending());
      if (Collector.PAGEVIEW.equals(hit.getString("name"))) {
        next.views++;
        next.pages.merge(hit.getString("page"), 1L, Long::sum);
        next.referrers
            .computeIfAbsent(hit.getString("page"), p -> new TreeMap<>())
            .merge(hit.getString("referrer", ""), 1L, Long::sum);
      } else {
        next.events++;
      }
      touched.add(site);
    }
    touched.forEach(this::schedule);
  }

  /** At once if the site's last message is old enough, else when it will be. */
  private void schedule(String site) {
    if (scheduled.contains(site)) {
      return;
    }
    long wait =
        lastPublished.getOrDefault(site, 0L) + SITE_INTERVAL_MS - System.currentTimeMillis();
    if (wait <= 0) {
      publish(site);
    } else {
      scheduled.add(site);
      vertx.setTimer(
          wait,
          id -> {
            scheduled.remove(site);
            publish(site);
          });
    }
  }

  private void publish(String site) {
    Pending next = pending.remove(site);
    if (next == null) {
      return;
    }
    long now = System.currentTimeMillis();
    lastPublished.put(site, now);
    int visitorsNow = visitorsNow(site, now);
    lastVisitorsNow.put(site, visitorsNow);
    JsonObject pages = new JsonObject();
    next.pages.forEach(pages::put);
    JsonObject referrers = new JsonObject();
    next.referrers.forEach(
        (page, sources) ->
            referrers.put(page, new JsonObject(new LinkedHashMap<String, Object>(sources))));
    vertx
        .eventBus()
        .publish(
            Addresses.TRACKER_LIVE,
            new JsonObject()
                .put("site", site)
                .put("at", now)
                .put("views", next.views)
                .put("events", next.events)
                .put("pages", pages)
                .put("referrers", referrers)
                .put("visitorsNow", visitorsNow));
  }

  /** Visitors leave the window without a hit: a site whose count dropped is told so. */
  private void announceExpiries() {
    long now = System.currentTimeMillis();
    for (String site : Set.copyOf(window.keySet())) {
      int visitorsNow = visitorsNow(site, now);
      Integer last = lastVisitorsNow.get(site);
      if (last != null && last != visitorsNow && !pending.containsKey(site)) {
        pending.put(site, new Pending());
        schedule(site);
      }
      if (visitorsNow == 0) {
        window.remove(site);
        lastVisitorsNow.remove(site);
      }
    }
  }

  private int visitorsNow(String site, long now) {
    Map<String, Long> visitors = window.get(site);
    if (visitors == null) {
      return 0;
    }
    visitors.values().removeIf(seen -> seen <= now - WINDOW_MS);
    return visitors.size();
  }

  private static JsonObject parse(String value) {
    try {
      JsonObject hit = value == null ? null : new JsonObject(value);
      return hit != null
              && hit.getValue("site") instanceof String
              && hit.getValue("visitor") instanceof String
              && hit.getValue("ts") instanceof Number
          ? hit
          : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  @Override
  protected Future<?> stopService() {
    return consumer.close();
  }
}
