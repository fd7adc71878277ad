package dev.mesh.gateway.identity.accounts;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the identity tables (the accounts' people, the teams' registration tokens)
 * with Flyway in a schema of their own ({@code identity}), beside the layouts' and the tracker's,
 * each with its own history. JDBC, so on a worker thread. Whoever needs the tables migrates: the
 * team tokens whenever the gateway has a database, the accounts in mode accounts too; calls for the
 * same database while one runs share it, so the schema is never created twice at once.
 */
public final class AccountSchema {

  /** The schema of the identity tables: people, team tokens. */
  public static final String SCHEMA = "identity";

  private static final String MIGRATIONS = "classpath:db/identity";

  /** Migrations under way, by database. */
  private static final Map<String, Future<MigrateResult>> RUNNING = new HashMap<>();

  private AccountSchema() {}

  /** Migrates to the newest version; fails with the reason when the database cannot be reached. */
  public static Future<MigrateResult> migrate(Vertx vertx, MeshConfig settings) {
    PgConnectOptions options = Databases.connectOptions(settings);
    String key = options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    synchronized (RUNNING) {
      Future<MigrateResult> running = RUNNING.get(key);
      if (running != null) {
        return running;
      }
      Future<MigrateResult> migration = run(vertx, options);
      RUNNING.put(key, migration);
      migration.onComplete(
          done -> {
            synchronized (RUNNING) {
              RUNNING.remove(key, migration);
            }
          });
      return migration;
    }
  }

  private static Future<MigrateResult> run(Vertx vertx, PgConnectOptions options) {
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
