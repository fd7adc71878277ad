package dev.mesh.gateway.identity.accounts;

import dev.mesh.gateway.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The built-in people of identity mode {@code accounts}, in PostgreSQL (schema {@code identity}):
 * all of their SQL is here. Hashing runs on a worker thread, never on the event loop; a run of
 * failed sign-ins locks the account for a while, counted in the database so that every gateway
 * replica sees the same count.
 */
public final class AccountStore {

  private static final String T_PEOPLE = AccountSchema.SCHEMA + ".people";
  private static final String COLUMNS =
      "name, role, groups, failed_sign_ins, locked_until, password_set_at, created_at, created_by";

  /** A person as the admin API shows them: never the hash. */
  public record Person(
      String name,
      Role role,
      List<String> groups,
      int failedSignIns,
      OffsetDateTime lockedUntil,
      OffsetDateTime passwordSetAt,
      OffsetDateTime createdAt,
      String createdBy) {}

  /** How a sign-in went. */
  public sealed interface SignIn {
    /** The password matched. */
    record Accepted(Person person) implements SignIn {}

    /** Unknown name or wrong password: the caller is not told which. */
    record Refused() implements SignIn {}

    /** Too many failed tries in a row: no password is checked until then. */
    record Locked(OffsetDateTime until) implements SignIn {}
  }

  /** A change the store refuses, with the HTTP status and message the API answers. */
  public static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final int maxFailedSignIns;
  private final Duration lockout;

  public AccountStore(Vertx vertx, Pool pool, int maxFailedSignIns, Duration lockout) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxFailedSignIns = maxFailedSignIns;
    this.lockout = lockout;
  }

  // ---- signing in

  public Future<SignIn> signIn(String name, String password) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + ", password_hash FROM " + T_PEOPLE + " WHERE name = $1")
        .execute(Tuple.of(name))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return blocking(
                    () -> {
                      Passwords.verifyNobody(password);
                      return (SignIn) new SignIn.Refused();
                    });
              }
              Row row = rows.iterator().next();
              Person person = person(row);
              if (person.lockedUntil() != null
                  && person.lockedUntil().isAfter(OffsetDateTime.now())) {
                return Future.succeededFuture(new SignIn.Locked(person.lockedUntil()));
              }
              String hash = row.getString("password_hash");
              return blocking(() -> Passwords.verify(password, hash))
                  .compose(ok -> ok ? accepted(person) : failed(name));
            });
  }

  private Future<SignIn> accepted(Person person) {
    return pool.preparedQuery(
            "UPDATE "
                + T_PEOPLE
                + " SET failed_sign_ins = 0, locked_until = NULL WHERE name = $1 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(person.name()))
        .map(rows -> new SignIn.Accepted(person(rows.iterator().next())));
  }

  /**
   * One more failure, counted in one statement so that concurrent tries on several replicas all
   * count; the one that reaches the limit locks the account and starts the count again.
   */
  private Future<SignIn> failed(String name) {
    return pool.preparedQuery(
            "UPDATE "
                + T_PEOPLE
                + " SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,"
                + " locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN now() + make_interval(secs => $3)"
                + " ELSE locked_until END WHERE name = $1 RETURNING locked_until")
        .execute(Tuple.of(name, maxFailedSignIns, (double) lockout.toSeconds()))
        .map(
            rows -> {
              OffsetDateTime until =
                  rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0);
              return until != null && until.isAfter(OffsetDateTime.now())
                  ? new SignIn.Locked(until)
                  : new SignIn.Refused();
            });
  }

  // ---- people

  public Future<List<Person>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM " + T_PEOPLE + " ORDER BY name")
        .execute()
        .map(
            rows -> {
              List<Person> people = new ArrayList<>();
              rows.forEach(row -> people.add(person(row)));
              return people;
            });
  }

  public Future<Person> find(String name) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM " + T_PEOPLE + " WHERE name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : person(rows.iterator().next()));
  }

  /** Adds a person; 409 when the name is taken. */
  public Future<Person> add(
      String name, String password, Role role, List<String> groups, String by) {
    return blocking(() -> Passwords.hash(password))
        .compose(
            hash ->
                pool.preparedQuery(
                        "INSERT INTO "
                            + T_PEOPLE
                            + " (name, password_hash, role, groups, created_by) VALUES ($1, $2, $3, $4, $5)"
                            + " ON CONFLICT (name) DO NOTHING RETURNING "
                            + COLUMNS)
                    .execute(Tuple.of(name, hash, role.json(), groups.toArray(new String[0]), by)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new Refusal(409, "There is already a person named " + name);
              }
              return person(rows.iterator().next());
            });
  }

  /**
   * Creates the first admin when no admin exists yet (a fresh install); an existing person of that
   * name is left as they are. Completes with whether it created one.
   */
  public Future<Boolean> ensureAdmin(String name, String password) {
    return pool.query("SELECT 1 FROM " + T_PEOPLE + " WHERE role = 'admin' LIMIT 1")
        .execute()
        .compose(
            rows -> {
              if (rows.size() > 0) {
                return Future.succeededFuture(false);
              }
              return add(name, password, Role.ADMIN, List.of(), "configuration")
                  .map(true)
                  .recover(
                      failure ->
                          failure instanceof Refusal
                              ? Future.succeededFuture(false)
                              : Future.failedFuture(failure));
            });
  }

  /** Sets a person's role and groups; refuses to take away the last admin. */
  public Future<Person> update(String name, Role role, List<String> groups) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "SELECT name, role FROM "
                        + T_PEOPLE
                        + " WHERE role = 'admin' OR name = $1 FOR UPDATE")
                .execute(Tuple.of(name))
                .compose(
                    rows -> {
                      boolean exists = false;
                      int admins = 0;
                      boolean wasAdmin = false;
                      for (Row row : rows) {
                        boolean admin = "admin".equals(row.getString("role"));
                        admins += admin ? 1 : 0;
                        if (row.getString("name").equals(name)) {
                          exists = true;
                          wasAdmin = admin;
                        }
                      }
                      if (!exists) {
                        throw new Refusal(404, "Nobody is named " + name);
                      }
                      if (wasAdmin && role != Role.ADMIN && admins == 1) {
                        throw new Refusal(
                            409, name + " is the only admin: make somebody else admin first");
                      }
                      return connection
                          .preparedQuery(
                              "UPDATE "
                                  + T_PEOPLE
                                  + " SET role = $2, groups = $3 WHERE name = $1 RETURNING "
                                  + COLUMNS)
                          .execute(Tuple.of(name, role.json(), groups.toArray(new String[0])));
                    })
                .map(rows -> person(rows.iterator().next())));
  }

  /** Sets a new password (an admin's reset, or the person's own change); unlocks the account. */
  public Future<Person> setPassword(String name, String password) {
    return blocking(() -> Passwords.hash(password))
        .compose(
            hash ->
                pool.preparedQuery(
                        "UPDATE "
                            + T_PEOPLE
                            + " SET password_hash = $2, password_set_at = now(), failed_sign_ins = 0,"
                            + " locked_until = NULL WHERE name = $1 RETURNING "
                            + COLUMNS)
                    .execute(Tuple.of(name, hash)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new Refusal(404, "Nobody is named " + name);
              }
              return person(rows.iterator().next());
            });
  }

  /** Removes a person; refuses to remove the last admin. */
  public Future<Void> remove(String name) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "DELETE FROM "
                        + T_PEOPLE
                        + " WHERE name = $1 AND (role <> 'admin' OR (SELECT count(*) FROM "
                        + T_PEOPLE
                        + " WHERE role = 'admin') > 1) RETURNING name")
                .execute(Tuple.of(name))
                .compose(
                    rows -> {
                      if (rows.size() > 0) {
                        return Future.<Void>succeededFuture();
                      }
                      return connection
                          .preparedQuery("SELECT 1 FROM " + T_PEOPLE + " WHERE name = $1")
                          .execute(Tuple.of(name))
                          .<Void>map(
                              found -> {
                                throw found.size() == 0
                                    ? new Refusal(404, "Nobody is named " + name)
                                    : new Refusal(
                                        409,
                                        name
                                            + " is the only admin: make somebody else admin first");
                              });
                    }));
  }

  private <T> Future<T> blocking(Callable<T> work) {
    // unordered: sign-ins of different people hash in parallel on the worker pool
    return vertx.executeBlocking(work, false);
  }

  private static Person person(Row row) {
    String[] groups = row.getArrayOfStrings("groups");
    return new Person(
        row.getString("name"),
        Role.valueOf(row.getString("role").toUpperCase(Locale.ROOT)),
        groups == null ? List.of() : List.of(groups),
        row.getInteger("failed_sign_ins"),
        row.getOffsetDateTime("locked_until"),
        row.getOffsetDateTime("password_set_at"),
        row.getOffsetDateTime("created_at"),
        row.getString("created_by"));
  }
}
