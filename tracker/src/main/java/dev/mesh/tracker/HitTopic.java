package dev.mesh.tracker;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topic of hits. The tracker creates it when it is missing, with unlimited retention: the log
 * is the truth the projections are rebuilt from, so nothing may age out of it. Replicated three
 * times where the cluster has three brokers (fewer on a smaller one, one on the embedded broker).
 */
final class HitTopic {

  private final KafkaAdminClient admin;
  private final String name;
  private final int partitions;

  HitTopic(KafkaAdminClient admin, String name, int partitions) {
    this.admin = admin;
    this.name = name;
    this.partitions = partitions;
  }

  String name() {
    return name;
  }

  /** Succeeds once the topic exists; fails while the brokers cannot be reached. */
  Future<Void> ensure() {
    return admin
        .listTopics()
        .compose(topics -> topics.contains(name) ? Future.succeededFuture() : create());
  }

  private Future<Void> create() {
    return admin
        .describeCluster()
        .compose(
            cluster -> {
              short replicas = (short) Math.max(1, Math.min(3, cluster.getNodes().size()));
              NewTopic topic =
                  new NewTopic(name, partitions, replicas)
                      .setConfig(
                          Map.of(
                              "retention.ms",
                              "-1",
                              "retention.bytes",
                              "-1",
                              "cleanup.policy",
                              "delete"));
              return admin.createTopics(List.of(topic));
            })
        .recover(
            failure ->
                failure instanceof TopicExistsException
                        || failure.getCause() instanceof TopicExistsException
                    ? Future.succeededFuture()
                    : Future.failedFuture(failure));
  }
}
