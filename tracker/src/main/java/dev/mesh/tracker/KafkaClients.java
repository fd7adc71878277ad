package dev.mesh.tracker;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import java.util.HashMap;
import java.util.Map;

/** The Kafka client settings of the tracker, in one place, from {@link MeshConfig}. */
final class KafkaClients {

  private KafkaClients() {}

  static String bootstrap(MeshConfig settings) {
    if (!settings.isSet(Setting.KAFKA_BOOTSTRAP)) {
      throw new IllegalArgumentException(
          Setting.KAFKA_BOOTSTRAP.key()
              + " is not set: name the Kafka brokers, "
              + "e.g. kafka-0.kafka:9092 (the all-in-one starts an embedded one by itself)");
    }
    return settings.string(Setting.KAFKA_BOOTSTRAP);
  }

  private static Map<String, String> common(MeshConfig settings, String clientId) {
    int timeout = settings.positive(Setting.KAFKA_TIMEOUT_MILLIS);
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrap(settings));
    config.put("client.id", clientId);
    config.put("request.timeout.ms", String.valueOf(timeout));
    config.put("default.api.timeout.ms", String.valueOf(timeout));
    // an unreachable broker is tried again soon, but not in a tight loop
    config.put("reconnect.backoff.ms", "100");
    config.put("reconnect.backoff.max.ms", "1000");
    config.put("retry.backoff.ms", "100");
    return config;
  }

  /**
   * Acknowledged means written by every in-sync replica ({@code acks=all}); batches of up to 10 ms,
   * lz4-compressed. A send that cannot get metadata gives up after the time-out instead of blocking
   * Kafka's worker for a minute, so the publisher notices an outage quickly.
   */
  static Map<String, String> producer(MeshConfig settings, String clientId) {
    int timeout = settings.positive(Setting.KAFKA_TIMEOUT_MILLIS);
    Map<String, String> config = common(settings, clientId);
    config.remove("default.api.timeout.ms");
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    // a hit's JSON comes encoded (Hit)
    config.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("compression.type", "lz4");
    config.put("linger.ms", "10");
    config.put("batch.size", String.valueOf(64 * 1024));
    config.put("max.block.ms", String.valueOf(timeout));
    config.put("delivery.timeout.ms", String.valueOf(timeout + 10));
    return config;
  }

  /**
   * Offsets are never committed to Kafka: the projection keeps its own in PostgreSQL and the live
   * feed starts from now. Fetches wait at most 100 ms, so that a hit reaches the live feed quickly.
   */
  static Map<String, String> consumer(
      MeshConfig settings, String clientId, String group, String reset) {
    Map<String, String> config = common(settings, clientId);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("group.id", group);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", reset);
    config.put("max.poll.records", "500");
    config.put("fetch.max.wait.ms", "100");
    config.put("session.timeout.ms", "10000");
    config.put("heartbeat.interval.ms", "1000");
    config.put("isolation.level", "read_committed");
    // only the publisher creates the topic, with unlimited retention; a broker's auto-creation
    // would not
    config.put("allow.auto.create.topics", "false");
    // a topic created after the consumer subscribed (or given partitions) is noticed within seconds
    config.put("metadata.max.age.ms", "10000");
    return config;
  }

  static Map<String, String> admin(MeshConfig settings, String clientId) {
    return common(settings, clientId);
  }
}
