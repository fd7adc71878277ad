package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway without a database (MESH_DATABASE_URL empty) explains that layouts need one, and does
 * the rest.
 */
class LayoutWithoutDatabaseTest {

  private static LayoutsUnderTest gateway;

  @BeforeAll
  static void start() {
    gateway = LayoutsUnderTest.withoutDatabase();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void layoutsAnswer503NamingTheMissingSetting() {
    Caller alice = gateway.as("alice");
    for (Reply reply :
        new Reply[] {
          alice.get("/api/layouts"),
          alice.post(
              "/api/layouts",
              new JsonObject().put("name", "x").put("content", Contents.row("sales-table"))),
          alice.get("/api/layouts/" + java.util.UUID.randomUUID() + "/revisions")
        }) {
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.message()).contains("need a database").contains("MESH_DATABASE_URL");
    }
  }

  @Test
  void everythingElseKeepsWorking() {
    Reply me = gateway.as("alice", "sales").get("/api/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("user")).isEqualTo("alice");
    Reply ready = gateway.anonymous().get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().toString()).doesNotContain("database");
    assertThat(gateway.anonymous().get("/no/such/page").status()).isEqualTo(404);
  }
}
