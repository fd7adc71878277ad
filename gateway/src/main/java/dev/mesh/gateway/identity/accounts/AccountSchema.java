package dev.mesh.gateway.identity.accounts;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import dev.mesh.gateway.Schemas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.HashMap;
import java.util.Map;
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
      Future<MigrateResult> migration = Schemas.migrate(vertx, settings, SCHEMA);
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
}
