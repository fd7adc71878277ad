package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema Flyway creates keeps the tables consistent by itself: whatever SQL is run by hand (or
 * by a bug), the database refuses what the API would refuse.
 */
class LayoutSchemaTest {

  private static final String CONTENT = "'{\"config\": {\"root\": null}}'";
  private static LayoutsUnderTest gateway;

  @BeforeAll
  static void start() {
    gateway = LayoutsUnderTest.start();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Runs the statements in one transaction and commits. */
  private static void commit(String... statements) throws SQLException {
    try (Connection c = gateway.database().connection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static String layout(UUID id, String name, int version) {
    return "INSERT INTO layouts.layouts (id, name, owner, version, content, updated_by) VALUES ('"
        + id
        + "', '"
        + name
        + "', 'alice', "
        + version
        + ", "
        + CONTENT
        + ", 'alice')";
  }

  private static String revision(UUID id, int revision) {
    return "INSERT INTO layouts.layout_revisions (layout_id, revision, saved_by, action, name, content) VALUES ('"
        + id
        + "', "
        + revision
        + ", 'alice', 'create', 'n', "
        + CONTENT
        + ")";
  }

  private static UUID stored() throws SQLException {
    UUID id = UUID.randomUUID();
    commit(layout(id, "Stored", 1), revision(id, 1));
    return id;
  }

  @Test
  void theSchemaIsMigratedOnceAndRestartsDoNotMigrateAgain() {
    assertThat(
            gateway
                .database()
                .text("SELECT max(version) FROM layouts.flyway_schema_history WHERE success"))
        .isEqualTo("1");
    gateway.restart(config -> config);
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.flyway_schema_history WHERE version IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void aLayoutCannotBeCommittedWithoutTheRevisionOfItsVersion() throws SQLException {
    UUID id = UUID.randomUUID();
    assertThatThrownBy(() -> commit(layout(id, "No revision", 1)))
        .hasMessageContaining("layouts_version_has_revision");
    assertThatThrownBy(() -> commit(layout(id, "Wrong revision", 2), revision(id, 1)))
        .hasMessageContaining("layouts_version_has_revision");
    UUID saved = stored();
    assertThatThrownBy(
            () -> commit("UPDATE layouts.layouts SET version = 2 WHERE id = '" + saved + "'"))
        .hasMessageContaining("layouts_version_has_revision");
    assertThatThrownBy(() -> commit(revision(saved, 1)))
        .as("revision numbers are unique per layout")
        .hasMessageContaining("layout_revisions_pkey");
    commit(revision(saved, 2), "UPDATE layouts.layouts SET version = 2 WHERE id = '" + saved + "'");
    assertThat(
            gateway
                .database()
                .number("SELECT version FROM layouts.layouts WHERE id = ?::uuid", saved.toString()))
        .isEqualTo(2);
  }

  @Test
  void valuesOutsideTheApisRulesAreRefused() {
    UUID id = UUID.randomUUID();
    assertThatThrownBy(() -> commit(layout(id, "", 1), revision(id, 1)))
        .hasMessageContaining("layouts_name_check");
    assertThatThrownBy(() -> commit(layout(id, "x".repeat(121), 1), revision(id, 1)))
        .hasMessageContaining("layouts_name_check");
    assertThatThrownBy(() -> commit(layout(id, " padded", 1), revision(id, 1)))
        .hasMessageContaining("layouts_name_check");
    assertThatThrownBy(() -> commit(layout(id, "v0", 0)))
        .hasMessageContaining("layouts_version_check");
    assertThatThrownBy(
            () ->
                commit(
                    "INSERT INTO layouts.layouts (id, name, owner, version, content, updated_by) VALUES ('"
                        + id
                        + "', 'n', 'alice', 1, '{\"root\": {}}', 'alice')"))
        .as("content without config")
        .hasMessageContaining("layouts_content_check");
    assertThatThrownBy(
            () ->
                commit(
                    "INSERT INTO layouts.layouts (id, name, owner, version, content, updated_by) VALUES ('"
                        + id
                        + "', 'n', 'alice', 1, '{\"config\": []}', 'alice')"))
        .as("config not an object")
        .hasMessageContaining("layouts_content_check");
    assertThatThrownBy(
            () ->
                commit(
                    "INSERT INTO layouts.layout_revisions (layout_id, revision, saved_by, action, name, content) "
                        + "VALUES ('"
                        + id
                        + "', 1, 'alice', 'overwrite', 'n', "
                        + CONTENT
                        + ")"))
        .hasMessageContaining("action_check");
    assertThatThrownBy(
            () ->
                commit(
                    "INSERT INTO layouts.layouts (id, name, version, content, updated_by) VALUES ('"
                        + id
                        + "', 'n', 1, "
                        + CONTENT
                        + ", 'x')",
                    revision(id, 1)))
        .as("only a provisioned layout has no owner")
        .hasMessageContaining("layouts_owner_or_file");
  }

  @Test
  void sharesHaveKnownKindsAndRolesAndOneUniqueLinkPerLayout() throws SQLException {
    UUID id = stored();
    UUID other = stored();
    String share = "INSERT INTO layouts.layout_shares (layout_id, kind, name, token, role) VALUES ";
    assertThatThrownBy(() -> commit(share + "('" + id + "', 'user', 'bob', null, 'owner')"))
        .hasMessageContaining("role_check");
    assertThatThrownBy(() -> commit(share + "('" + id + "', 'team', 'bob', null, 'viewer')"))
        .hasMessageContaining("kind_check");
    assertThatThrownBy(() -> commit(share + "('" + id + "', 'link', null, null, 'viewer')"))
        .hasMessageContaining("layout_shares_token");
    assertThatThrownBy(() -> commit(share + "('" + id + "', 'user', null, null, 'viewer')"))
        .hasMessageContaining("layout_shares_named");
    assertThatThrownBy(
            () ->
                commit(
                    share + "('" + id + "', 'user', 'bob', null, 'viewer')",
                    share + "('" + id + "', 'user', 'bob', null, 'editor')"))
        .hasMessageContaining("layout_shares_once");
    String token = "t".repeat(43);
    assertThatThrownBy(
            () ->
                commit(
                    share + "('" + id + "', 'link', null, '" + token + "', 'viewer')",
                    share + "('" + id + "', 'link', null, '" + "u".repeat(43) + "', 'viewer')"))
        .hasMessageContaining("layout_shares_one_link");
    assertThatThrownBy(
            () ->
                commit(
                    share + "('" + id + "', 'link', null, '" + token + "', 'viewer')",
                    share + "('" + other + "', 'link', null, '" + token + "', 'viewer')"))
        .hasMessageContaining("layout_shares_token_key");
    assertThatThrownBy(
            () -> commit(share + "('" + UUID.randomUUID() + "', 'user', 'bob', null, 'viewer')"))
        .hasMessageContaining("layout_shares_layout_id_fkey");
  }

  @Test
  void deletingALayoutDeletesItsRevisionsAndShares() throws SQLException {
    UUID id = stored();
    commit(
        "INSERT INTO layouts.layout_shares (layout_id, kind, name, role) VALUES ('"
            + id
            + "', 'group', 'sales', 'viewer')");
    commit("DELETE FROM layouts.layouts WHERE id = '" + id + "'");
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.layout_revisions WHERE layout_id = ?::uuid",
                    id.toString()))
        .isZero();
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.layout_shares WHERE layout_id = ?::uuid",
                    id.toString()))
        .isZero();
  }
}
