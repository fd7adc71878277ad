package dev.mesh.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL for the laptop start and for tests, its data kept under {@code
 * <folder>/postgres} so that a restart loses nothing. Binaries come from Maven (zonky), so nothing
 * needs installing.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The database the all-in-one's services share. */
  public static final String DATABASE = "mesh";

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedDatabase start(Path dataDir) {
    try {
      Path folder = dataDir.resolve("postgres");
      Files.createDirectories(folder);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(folder)
              .setCleanDataDirectory(false)
              // the all-in-one stops it itself, after the services have let go of their connections
              .setRegisterShutdownHook(false)
              .start();
      EmbeddedDatabase database = new EmbeddedDatabase(postgres);
      database.createDatabase(DATABASE);
      return database;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(
          "Cannot start the embedded PostgreSQL under " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates a database unless it exists (tests give each class a database of its own) and returns
   * its URL.
   */
  public String createDatabase(String name) throws SQLException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Not a plain database name: " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      try (PreparedStatement exists =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, name);
        try (ResultSet found = exists.executeQuery()) {
          if (!found.next()) {
            try (Statement s = c.createStatement()) {
              // the name was checked above: identifiers cannot be bound as parameters
              s.execute("CREATE DATABASE " + name);
            }
          }
        }
      }
    }
    return url(name);
  }

  /**
   * {@code postgresql://postgres@localhost:<port>/mesh}, the form {@code MESH_DATABASE_URL} takes.
   */
  public String url() {
    return url(DATABASE);
  }

  public String url(String database) {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + database;
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
