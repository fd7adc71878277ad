package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.Poll;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The database comes and goes under a running gateway: layouts answer 503 with a message while it
 * is away (the rest of the gateway carries on) and work again by themselves once it is back,
 * without losing what was saved. A PostgreSQL of its own, so stopping it disturbs no other test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayoutDatabaseOutageTest {

  private static final Duration BACK_WITHIN = Duration.ofSeconds(60);
  private static final TestPostgres postgres = TestPostgres.own();
  private static LayoutsUnderTest gateway;
  private static Caller alice;
  private static String id;

  @BeforeAll
  static void start() {
    // the gateway starts before its database does
    gateway = LayoutsUnderTest.onDatabase(postgres.url("postgres"));
    alice = gateway.as("alice");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    postgres.close();
  }

  @Test
  @Order(1)
  void aGatewayStartedBeforeItsDatabaseAnswers503ThenPreparesTheSchemaByItself() {
    Reply early = alice.get("/api/layouts");
    assertThat(early.status()).isEqualTo(503);
    assertThat(early.message()).contains("not available yet");
    assertThat(early.header("Retry-After")).isNotNull();
    assertThat(alice.get("/api/me").status()).as("the rest works").isEqualTo(200);

    postgres.start();
    Poll.until(
        BACK_WITHIN,
        "layouts once the database is up",
        () -> alice.get("/api/layouts").status() == 200);
    id = alice.create("Survives outages", Contents.row("sales-table")).getString("id");
  }

  @Test
  @Order(2)
  void whileTheDatabaseIsDownLayoutsAnswer503AndComeBackWithNothingLost() {
    postgres.stop();

    Reply down = alice.get("/api/layouts/" + id);
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.message()).contains("cannot be reached");
    Reply save =
        alice.put(
            "/api/layouts/" + id, new JsonObject().put("name", "Saved during the outage"), "\"1\"");
    assertThat(save.status()).isEqualTo(503);
    assertThat(alice.get("/api/me").status()).isEqualTo(200);

    postgres.start();
    Reply back =
        Poll.until(
            BACK_WITHIN,
            "the layout once the database is back",
            () -> alice.get("/api/layouts/" + id),
            reply -> reply.status() == 200);
    assertThat(back.json().getString("name")).isEqualTo("Survives outages");
    assertThat(back.json().getInteger("version")).isEqualTo(1);
    assertThat(
            alice
                .put(
                    "/api/layouts/" + id, new JsonObject().put("name", "After the outage"), "\"1\"")
                .status())
        .isEqualTo(200);
  }
}
