package dev.mesh.tracker;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the projections the query API reads, from the hits topic into PostgreSQL: one {@link
 * Projection} per version named in {@code MESH_TRACKER_PROJECTIONS}, so a new version is built
 * beside the one in use. Also forgets visitors not seen for a day (the live-visitors table only
 * answers "who is here now").
 */
public final class ProjectionVerticle extends MeshVerticle {

  private static final long CLEAN_UP_MS = 10 * 60_000;

  private Pool pool;
  private final List<Projection> projections = new ArrayList<>();

  @Override
  protected Future<?> startService() {
    pool = Databases.pool(vertx, settings);
    String topic = settings.string(Setting.TRACKER_TOPIC);
    List<Integer> versions = versions();
    return TrackerSchema.migrate(vertx, settings)
        .compose(
            v -> {
              List<Future<Void>> started = new ArrayList<>();
              for (int version : versions) {
                started.add(project(topic, version));
              }
              return Future.all(started);
            })
        .onSuccess(v -> vertx.setPeriodic(CLEAN_UP_MS, id -> forgetOldVisitors(versions)));
  }

  private Future<Void> project(String topic, int version) {
    KafkaConsumer<String, String> consumer =
        KafkaConsumer.create(
            vertx,
            KafkaClients.consumer(
                settings,
                "mesh-tracker-projection-v" + version + "-" + node.nodeId(),
                Projection.group(topic, version),
                "earliest"));
    Projection projection =
        new Projection(
            vertx,
            consumer,
            new ProjectionStore(pool, topic, version),
            topic,
            TrackerMetrics.projected(node.meterRegistry(), version),
            TrackerMetrics.skipped(node.meterRegistry(), version));
    projections.add(projection);
    return projection.start();
  }

  private List<Integer> versions() {
    List<Integer> versions = new ArrayList<>();
    for (String value : settings.list(Setting.TRACKER_PROJECTIONS)) {
      try {
        int version = Integer.parseInt(value);
        if (version < 1) {
          throw new NumberFormatException();
        }
        versions.add(version);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            Setting.TRACKER_PROJECTIONS.key()
                + " must list positive integers, got '"
                + value
                + "'");
      }
    }
    return versions;
  }

  private void forgetOldVisitors(List<Integer> versions) {
    for (int version : versions) {
      pool.preparedQuery(
              "DELETE FROM tracker.live_visitors_v"
                  + version
                  + " WHERE last_seen < now() - interval '1 day'")
          .execute()
          .onFailure(
              e -> {
                /* tried again at the next round */
              });
    }
  }

  @Override
  protected Future<?> stopService() {
    List<Future<Void>> stopped = projections.stream().map(Projection::stop).toList();
    return Future.join(stopped)
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
