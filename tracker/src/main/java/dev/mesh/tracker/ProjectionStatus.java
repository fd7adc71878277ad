package dev.mesh.tracker;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where each projection version stands against the end of the topic: what an operator checks before
 * switching {@code MESH_TRACKER_ACTIVE_PROJECTION} to a version rebuilt beside the active one.
 */
final class ProjectionStatus {

  private final Pool pool;
  private final KafkaAdminClient admin;
  private final String topic;
  private final int active;
  private final List<Integer> built;

  ProjectionStatus(
      Pool pool, KafkaAdminClient admin, String topic, int active, List<Integer> built) {
    this.pool = pool;
    this.admin = admin;
    this.topic = topic;
    this.active = active;
    this.built = built;
  }

  Future<JsonObject> describe() {
    Future<Map<Integer, Map<Integer, Long>>> stored =
        pool.preparedQuery(
                "SELECT version, kafka_partition, next_offset FROM tracker.projection_offsets WHERE topic = $1")
            .execute(Tuple.of(topic))
            .map(
                rows -> {
                  Map<Integer, Map<Integer, Long>> byVersion = new TreeMap<>();
                  for (Row row : rows) {
                    byVersion
                        .computeIfAbsent(row.getInteger("version"), v -> new TreeMap<>())
                        .put(row.getInteger("kafka_partition"), row.getLong("next_offset"));
                  }
                  return byVersion;
                });
    // while Kafka is away the stored offsets are still worth showing
    Future<Map<Integer, Long>> ends = endOffsets().otherwiseEmpty();
    return Future.all(stored, ends)
        .map(
            both -> {
              Map<Integer, Map<Integer, Long>> byVersion = both.resultAt(0);
              Map<Integer, Long> end = both.resultAt(1);
              TreeSet<Integer> versions = new TreeSet<>(byVersion.keySet());
              versions.addAll(built);
              versions.add(active);
              JsonArray list = new JsonArray();
              for (int version : versions) {
                Map<Integer, Long> next = byVersion.getOrDefault(version, Map.of());
                TreeSet<Integer> partitions = new TreeSet<>(next.keySet());
                if (end != null) {
                  partitions.addAll(end.keySet());
                }
                JsonArray rows = new JsonArray();
                Boolean caughtUp = end == null ? null : Boolean.TRUE;
                for (int partition : partitions) {
                  long nextOffset = next.getOrDefault(partition, 0L);
                  Long endOffset = end == null ? null : end.get(partition);
                  if (end != null && (endOffset == null || nextOffset < endOffset)) {
                    caughtUp = false;
                  }
                  rows.add(
                      new JsonObject()
                          .put("partition", partition)
                          .put("nextOffset", nextOffset)
                          .put("endOffset", endOffset));
                }
                list.add(
                    new JsonObject()
                        .put("version", version)
                        .put("caughtUp", caughtUp)
                        .put("partitions", rows));
              }
              return new JsonObject()
                  .put("active", active)
                  .put("topic", topic)
                  .put("versions", list);
            });
  }

  /** The end offset of every partition of the topic; an empty topic's partitions end at 0. */
  private Future<Map<Integer, Long>> endOffsets() {
    return admin
        .describeTopics(List.of(topic))
        .compose(
            described -> {
              TopicDescription description = described.get(topic);
              Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
              description
                  .getPartitions()
                  .forEach(
                      p ->
                          latest.put(
                              new TopicPartition(topic, p.getPartition()), OffsetSpec.LATEST));
              return admin.listOffsets(latest);
            })
        .map(
            offsets -> {
              Map<Integer, Long> end = new TreeMap<>();
              for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry : offsets.entrySet()) {
                end.put(entry.getKey().getPartition(), entry.getValue().getOffset());
              }
              return end;
            });
  }
}
