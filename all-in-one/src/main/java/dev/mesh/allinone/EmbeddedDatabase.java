package dev.mesh.allinone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL for the laptop start, its data kept under the data folder so that a restart
 * loses nothing. Binaries come from Maven (zonky), so nothing needs installing.
 */
final class EmbeddedDatabase implements AutoCloseable {

  private static final String DATABASE = "mesh";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedDatabase start(Path dataDir) {
    try {
      Path folder = dataDir.resolve("postgres");
      Files.createDirectories(folder);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(folder)
        .setCleanDataDirectory(false)
        // the all-in-one stops it itself, after the services have let go of their connections
        .setRegisterShutdownHook(false)
        .start();
      createDatabase(postgres);
      return new EmbeddedDatabase(postgres);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("Cannot start the embedded PostgreSQL under " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static void createDatabase(EmbeddedPostgres postgres) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (!exists.next()) {
          s.execute("CREATE DATABASE " + DATABASE);
        }
      }
    }
  }

  String url() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + DATABASE;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
