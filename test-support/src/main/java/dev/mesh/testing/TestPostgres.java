package dev.mesh.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL for tests, from the binaries zonky ships in Maven (nothing to install).
 *
 * <ul>
 *   <li>{@link #newDatabase(String)}: one server for the whole test JVM, started by the first class
 *       that asks and stopped when the JVM exits, and a fresh database on it for each caller, so
 *       classes never see each other's rows.
 *   <li>{@link #own()}: a server of the test's own, on a port and data folder fixed when it is
 *       made, that the test may stop and start again (an outage): the services find it where it
 *       was, with what it held.
 * </ul>
 */
public final class TestPostgres implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,40}$");
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static TestPostgres shared;

  private final Path dataDir;
  private final int port;
  private final boolean throwAway;
  private EmbeddedPostgres server;

  private TestPostgres(Path dataDir, int port, boolean throwAway) {
    this.dataDir = dataDir;
    this.port = port;
    this.throwAway = throwAway;
  }

  /**
   * A new, empty database on the test JVM's shared server, named {@code prefix} and a number; the
   * server starts on first use.
   */
  public static synchronized TestDatabase newDatabase(String prefix) {
    if (!NAME.matcher(prefix).matches()) {
      throw new IllegalArgumentException("Not a plain database name: " + prefix);
    }
    if (shared == null) {
      TestPostgres server = new TestPostgres(temporaryFolder("mesh-test-pg"), Ports.free(), true);
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
      shared = server;
    }
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    // the name was checked above: identifiers cannot be bound as parameters
    shared.execute("postgres", "CREATE DATABASE " + name);
    return new TestDatabase(shared, name);
  }

  /** A server of the test's own on a free port and a new data folder; not started yet. */
  public static TestPostgres own() {
    return own(temporaryFolder("mesh-test-pg"));
  }

  /** A server of the test's own on a free port, keeping its data in {@code dataDir}. */
  public static TestPostgres own(Path dataDir) {
    return new TestPostgres(dataDir, Ports.free(), false);
  }

  /** Starts the server (again), on its port and data folder. */
  public synchronized TestPostgres start() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                // the shared server's data goes with it; an own server's outlives a stop
                .setCleanDataDirectory(throwAway)
                .setPort(port)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the test PostgreSQL in " + dataDir, e);
      }
    }
    return this;
  }

  /** Stops the server; what it holds stays in its data folder for the next {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        server = null;
      }
    }
  }

  public int port() {
    return port;
  }

  /**
   * {@code postgresql://postgres@localhost:<port>/<database>}, the form {@code MESH_DATABASE_URL}
   * takes (the server need not be up).
   */
  public String url(String database) {
    return "postgresql://postgres@localhost:" + port + "/" + database;
  }

  /** A JDBC connection to {@code database}, as the superuser. */
  public synchronized Connection connection(String database) throws SQLException {
    if (server == null) {
      throw new SQLException("The test PostgreSQL on port " + port + " is stopped");
    }
    return server.getDatabase("postgres", database).getConnection();
  }

  /** Runs a statement in {@code database}. */
  public void execute(String database, String sql) {
    try (Connection c = connection(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      // stopping after the test: nothing left to tell it
    }
  }

  private static Path temporaryFolder(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
