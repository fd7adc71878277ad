package dev.mesh.gateway;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The gateway's tables: each concern that keeps some (layouts, identity) has a schema of its own
 * with its own Flyway history, migrated from {@code db/<schema>} on the classpath, and is prepared
 * again with growing pauses while the database is not there yet, so that the rest of the gateway
 * serves meanwhile.
 */
public final class Schemas {

  private Schemas() {}

  /**
   * Migrates {@code schema} to its newest version on a worker thread (Flyway speaks JDBC); fails
   * with the reason when the database cannot be reached.
   */
  public static Future<MigrateResult> migrate(Vertx vertx, MeshConfig settings, String schema) {
    PgConnectOptions options = Databases.connectOptions(settings);
    return vertx.executeBlocking(
        () ->
            Flyway.configure(Schemas.class.getClassLoader())
                .dataSource(
                    Databases.jdbcUrl(options, "mesh-gateway-migrations"),
                    options.getUser(),
                    options.getPassword())
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/" + schema)
                .load()
                .migrate(),
        false);
  }

  /**
   * Tries {@code attempt} again after {@code firstMs}, and after twice as long each time it fails,
   * at most {@code lastMs} apart, until it succeeds.
   */
  public static void retry(Vertx vertx, Supplier<Future<?>> attempt, long firstMs, long lastMs) {
    vertx.setTimer(
        firstMs,
        id ->
            attempt
                .get()
                .onFailure(again -> retry(vertx, attempt, Math.min(firstMs * 2, lastMs), lastMs)));
  }
}
