package dev.mesh.gateway.layouts;

import dev.mesh.common.MeshConfig;
import dev.mesh.gateway.Schemas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the layouts' tables with Flyway, in a schema of their own ({@code layouts})
 * so that other services' tables in the same database (the tracker's) keep their own history.
 * Flyway speaks JDBC, so it runs on a worker thread; the requests themselves use the reactive pool.
 */
final class LayoutSchema {

  static final String SCHEMA = "layouts";

  private LayoutSchema() {}

  /** Migrates to the newest version; fails with the reason when the database cannot be reached. */
  static Future<MigrateResult> migrate(Vertx vertx, MeshConfig settings) {
    return Schemas.migrate(vertx, settings, SCHEMA);
  }
}
