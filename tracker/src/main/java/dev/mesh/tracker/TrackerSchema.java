package dev.mesh.tracker;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades the {@code tracker} schema with Flyway (migrations in {@code db/tracker})
 * before a verticle touches it. Flyway serialises concurrent runs with a database lock, so every
 * instance may run it at start; within one process a database is migrated once.
 */
final class TrackerSchema {

  private static final Set<String> MIGRATED = ConcurrentHashMap.newKeySet();

  private TrackerSchema() {}

  static Future<Void> migrate(Vertx vertx, MeshConfig settings) {
    PgConnectOptions options = Databases.connectOptions(settings);
    String url =
        "jdbc:postgresql://"
            + options.getHost()
            + ":"
            + options.getPort()
            + "/"
            + options.getDatabase();
    if (MIGRATED.contains(url)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(
        () -> {
          Flyway.configure()
              .dataSource(url, options.getUser(), options.getPassword())
              .schemas("tracker")
              .createSchemas(true)
              .locations("classpath:db/tracker")
              .connectRetries(3)
              .load()
              .migrate();
          MIGRATED.add(url);
          return null;
        });
  }
}
