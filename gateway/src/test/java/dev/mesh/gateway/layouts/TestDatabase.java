package dev.mesh.gateway.layouts;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the layouts tests: one embedded server for the whole test JVM (started on
 * first use, stopped when the JVM exits), and a fresh database for each test class, so classes
 * never see each other's layouts. The tests read the tables directly to check that a refusal stored
 * nothing.
 */
final class TestDatabase {

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedPostgres server;

  private final String name;

  private TestDatabase(String name) {
    this.name = name;
  }

  /** A new, empty database on the shared server. */
  static synchronized TestDatabase fresh() {
    try {
      if (server == null) {
        server = EmbeddedPostgres.builder().start();
      }
      String name = "layouts_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
      try (Connection c = server.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      return new TestDatabase(name);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("Cannot start the test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** The URL the gateway is given as MESH_DATABASE_URL. */
  String url() {
    return "postgresql://postgres@localhost:" + server.getPort() + "/" + name;
  }

  /** The single number a query answers, e.g. a count. */
  long number(String sql, Object... params) {
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = s.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The single text a query answers, or null. */
  String text(String sql, Object... params) {
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * How many layouts, revisions and shares are stored: what a refused request must leave unchanged.
   */
  String rowCounts() {
    return number("SELECT count(*) FROM layouts.layouts")
        + " layouts, "
        + number("SELECT count(*) FROM layouts.layout_revisions")
        + " revisions, "
        + number("SELECT count(*) FROM layouts.layout_shares")
        + " shares";
  }

  Connection connection() throws SQLException {
    return server.getDatabase("postgres", name).getConnection();
  }
}
