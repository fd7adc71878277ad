package dev.mesh.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A database of a test class's own on the shared test PostgreSQL ({@link
 * TestPostgres#newDatabase(String)}): its URL for the services, and JDBC for the test to read what
 * they stored (a refused request must have stored nothing).
 */
public final class TestDatabase {

  private final TestPostgres server;
  private final String name;

  TestDatabase(TestPostgres server, String name) {
    this.server = server;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The URL the services are given as {@code MESH_DATABASE_URL}. */
  public String url() {
    return server.url(name);
  }

  public Connection connection() throws SQLException {
    return server.connection(name);
  }

  /** The single number a query answers, e.g. a count. */
  public long number(String sql, Object... params) {
    return query(sql, params, rows -> rows.next() ? rows.getLong(1) : 0L);
  }

  /** The single text a query answers, or null. */
  public String text(String sql, Object... params) {
    return query(sql, params, rows -> rows.next() ? rows.getString(1) : null);
  }

  /** Runs a statement. */
  public void execute(String sql) {
    server.execute(name, sql);
  }

  private interface Reader<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private <T> T query(String sql, Object[] params, Reader<T> reader) {
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = s.executeQuery()) {
        return reader.read(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return url();
  }
}
