package dev.mesh.common;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The one place a PostgreSQL pool is made from {@link MeshConfig}. */
public final class Databases {

  private Databases() {
  }

  public static PgConnectOptions connectOptions(MeshConfig config) {
    if (!config.isSet(Setting.DATABASE_URL)) {
      throw new IllegalArgumentException(Setting.DATABASE_URL.key() + " is not set: name the PostgreSQL database, "
        + "e.g. postgresql://mesh@db:5432/mesh (the all-in-one starts an embedded one by itself)");
    }
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(config.string(Setting.DATABASE_URL));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(Setting.DATABASE_URL.key() + " is not a PostgreSQL URL: " + e.getMessage(), e);
    }
    if (config.isSet(Setting.DATABASE_USER)) {
      options.setUser(config.string(Setting.DATABASE_USER));
    }
    if (config.isSet(Setting.DATABASE_PASSWORD)) {
      options.setPassword(config.string(Setting.DATABASE_PASSWORD));
    }
    // a restarted database must not hang requests: fail fast, the pool reconnects on next use
    return options.setReconnectAttempts(0);
  }

  public static Pool pool(Vertx vertx, MeshConfig config) {
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(config.positive(Setting.DATABASE_POOL_SIZE)).setConnectionTimeout(3))
      .connectingTo(connectOptions(config))
      .using(vertx)
      .build();
  }
}
