package dev.mesh.common;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/** The one place a PostgreSQL pool is made from {@link MeshConfig}, and its failures told apart. */
public final class Databases {

  private Databases() {}

  public static PgConnectOptions connectOptions(MeshConfig config) {
    if (!config.isSet(Setting.DATABASE_URL)) {
      throw new IllegalArgumentException(
          Setting.DATABASE_URL.key()
              + " is not set: name the PostgreSQL database, "
              + "e.g. postgresql://mesh@db:5432/mesh (the all-in-one starts an embedded one by itself)");
    }
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(config.string(Setting.DATABASE_URL));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          Setting.DATABASE_URL.key() + " is not a PostgreSQL URL: " + e.getMessage(), e);
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
        .with(
            new PoolOptions()
                .setMaxSize(config.positive(Setting.DATABASE_POOL_SIZE))
                .setConnectionTimeout(3))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /**
   * A failure of the connection to the database rather than of the statement: worth a 503, not a
   * 500.
   */
  public static boolean unreachable(Throwable failure) {
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      // 08: connection exception, 57P: operator intervention (shutdown), 53: insufficient resources
      return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
    }
    // refused or lost connections, and a pool that could not get one in time
    return failure instanceof IOException
        || failure instanceof TimeoutException
        || failure instanceof ClosedConnectionException
        || (failure.getCause() != null
            && failure.getCause() != failure
            && unreachable(failure.getCause()));
  }

  /**
   * The JDBC form of the pool's connection settings, for Flyway; user and password travel apart
   * from it.
   */
  public static String jdbcUrl(PgConnectOptions options, String application) {
    String host = options.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(host)
            .append(':')
            .append(options.getPort())
            .append('/')
            .append(URLEncoder.encode(options.getDatabase(), StandardCharsets.UTF_8))
            // fail within seconds when the database is down, as the pool does, instead of JDBC's
            // minutes
            .append("?connectTimeout=5&socketTimeout=300&ApplicationName=")
            .append(URLEncoder.encode(application, StandardCharsets.UTF_8));
    SslMode ssl = options.getSslMode();
    if (ssl != null && ssl != SslMode.DISABLE) {
      url.append("&sslmode=").append(ssl.name().toLowerCase().replace('_', '-'));
    }
    return url.toString();
  }
}
