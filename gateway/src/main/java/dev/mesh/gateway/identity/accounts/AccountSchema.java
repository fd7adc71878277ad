package dev.mesh.gateway.identity.accounts;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the accounts' tables with Flyway in a schema of their own ({@code
 * identity}), beside the layouts' and the tracker's, each with its own history. JDBC, so on a
 * worker thread.
 */
public final class AccountSchema {

  static final String SCHEMA = "identity";
  private static final String MIGRATIONS = "classpath:db/identity";

  private AccountSchema() {}

  /** Migrates to the newest version; fails with the reason when the database cannot be reached. */
  public static Future<MigrateResult> migrate(Vertx vertx, MeshConfig settings) {
    PgConnectOptions options = Databases.connectOptions(settings);
    return vertx.executeBlocking(
        () ->
            Flyway.configure(AccountSchema.class.getClassLoader())
                .dataSource(
                    Databases.jdbcUrl(options, "mesh-gateway-migrations"),
                    options.getUser(),
                    options.getPassword())
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations(MIGRATIONS)
                .load()
                .migrate(),
        false);
  }
}
