package dev.mesh.gateway.identity.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.common.Databases;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.identity.Role;
import dev.mesh.gateway.identity.accounts.AccountStore.Person;
import dev.mesh.gateway.identity.accounts.AccountStore.Refusal;
import dev.mesh.gateway.identity.accounts.AccountStore.SignIn;
import dev.mesh.testing.TestDatabase;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in accounts on a real PostgreSQL: hashing, sign-in, lock-out, admins kept. */
class AccountStoreTest {

  private static final int MAX_FAILED = 3;

  private static Vertx vertx;
  private static Pool pool;
  private static AccountStore store;
  private static TestDatabase database;

  @BeforeAll
  static void start() throws Exception {
    database = TestPostgres.newDatabase("accounts");
    vertx = Vertx.vertx();
    MeshConfig settings = MeshConfig.defaults().with(Setting.DATABASE_URL, database.url());
    await(AccountSchema.migrate(vertx, settings));
    pool = Databases.pool(vertx, settings);
    store = new AccountStore(vertx, pool, MAX_FAILED, Duration.ofMinutes(15));
  }

  @AfterAll
  static void stop() throws Exception {
    if (pool != null) {
      await(pool.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aPersonSignsInWithTheirPasswordAndNobodyElses() throws Exception {
    await(store.add("ada", "correct horse battery", Role.EDITOR, List.of("sales"), "admin"));

    SignIn right = await(store.signIn("ada", "correct horse battery"));
    assertThat(right).isInstanceOf(SignIn.Accepted.class);
    Person ada = ((SignIn.Accepted) right).person();
    assertThat(ada.role()).isEqualTo(Role.EDITOR);
    assertThat(ada.groups()).containsExactly("sales");

    assertThat(await(store.signIn("ada", "Correct horse battery")))
        .isInstanceOf(SignIn.Refused.class);
    assertThat(await(store.signIn("nobody", "correct horse battery")))
        .as("an unknown name is refused like a wrong password")
        .isInstanceOf(SignIn.Refused.class);
    // only the hash is stored, and it is Argon2id
    assertThat(database.text("SELECT password_hash FROM identity.people WHERE name = 'ada'"))
        .startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
        .doesNotContain("correct horse battery");
  }

  @Test
  void failedSignInsInARowLockTheAccountUntilAnAdminResetsThePassword() throws Exception {
    await(store.add("bob", "bob's long password", Role.VIEWER, List.of(), "admin"));
    for (int i = 1; i < MAX_FAILED; i++) {
      assertThat(await(store.signIn("bob", "guess " + i))).isInstanceOf(SignIn.Refused.class);
    }
    SignIn last = await(store.signIn("bob", "guess " + MAX_FAILED));
    assertThat(last).isInstanceOf(SignIn.Locked.class);
    assertThat(((SignIn.Locked) last).until()).isAfter(OffsetDateTime.now().plusMinutes(14));

    assertThat(await(store.signIn("bob", "bob's long password")))
        .as("while locked, not even the right password lets anyone in")
        .isInstanceOf(SignIn.Locked.class);

    await(store.setPassword("bob", "a brand new password"));
    assertThat(await(store.signIn("bob", "bob's long password")))
        .isInstanceOf(SignIn.Refused.class);
    assertThat(await(store.signIn("bob", "a brand new password")))
        .isInstanceOf(SignIn.Accepted.class);
  }

  @Test
  void aSuccessfulSignInStartsTheCountAgain() throws Exception {
    await(store.add("cy", "cy's long password", Role.VIEWER, List.of(), "admin"));
    for (int round = 0; round < 3; round++) {
      for (int i = 1; i < MAX_FAILED; i++) {
        assertThat(await(store.signIn("cy", "wrong"))).isInstanceOf(SignIn.Refused.class);
      }
      assertThat(await(store.signIn("cy", "cy's long password")))
          .isInstanceOf(SignIn.Accepted.class);
    }
  }

  @Test
  void theFirstAdminIsMadeOnceAndTheLastAdminIsKept() throws Exception {
    assertThat(await(store.ensureAdmin("root", "the first admin's password"))).isTrue();
    assertThat(await(store.ensureAdmin("root2", "another password here")))
        .as("an admin exists: nothing is made")
        .isFalse();
    assertThat(await(store.find("root2"))).isNull();

    assertThatThrownBy(() -> await(store.update("root", Role.EDITOR, List.of())))
        .hasRootCauseInstanceOf(Refusal.class)
        .rootCause()
        .hasMessageContaining("only admin");
    assertThatThrownBy(() -> await(store.remove("root")))
        .rootCause()
        .hasMessageContaining("only admin");

    await(store.add("second", "second admin password", Role.ADMIN, List.of(), "root"));
    await(store.update("root", Role.EDITOR, List.of("ops")));
    assertThat(await(store.find("root")).role()).isEqualTo(Role.EDITOR);
    await(store.remove("root"));
    assertThat(await(store.find("root"))).isNull();
  }

  @Test
  void aNameIsTakenOnce() throws Exception {
    await(store.add("dee", "dee's long password", Role.VIEWER, List.of(), "admin"));
    assertThatThrownBy(
            () -> await(store.add("dee", "another password!", Role.ADMIN, List.of(), "admin")))
        .rootCause()
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("already");
    assertThat(await(store.find("dee")).role()).as("the first one kept").isEqualTo(Role.VIEWER);
  }

  @Test
  void passwordsOutsideTheRulesAreRefusedWithTheRule() {
    assertThat(Passwords.problem("short")).contains("10 to 200 characters");
    assertThat(Passwords.problem("          ")).contains("blank");
    assertThat(Passwords.problem("x".repeat(201))).contains("10 to 200");
    assertThat(Passwords.problem("long enough password")).isNull();
    assertThat(Passwords.verify("anything", "not a hash")).isFalse();
    assertThat(Passwords.verify("anything", null)).isFalse();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
