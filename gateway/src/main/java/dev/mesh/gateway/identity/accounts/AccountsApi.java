package dev.mesh.gateway.identity.accounts;

import dev.mesh.common.Contract;
import dev.mesh.common.Databases;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.JsonBodies;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Schemas;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.gateway.identity.Identity;
import dev.mesh.gateway.identity.Role;
import dev.mesh.gateway.identity.accounts.AccountStore.Person;
import dev.mesh.gateway.identity.accounts.AccountStore.Refusal;
import dev.mesh.gateway.identity.accounts.AccountStore.SignIn;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The doors of identity mode {@code accounts}: signing in and out (the sign-in page's form, or JSON
 * for API clients), one's own password, and the admin's API to add people, set their role and
 * groups, reset passwords and remove them. A signed-in person is a name in their session, which
 * lives in the cluster ({@code ClusteredSessionStore}), so every gateway replica knows them and a
 * sign-out ends the session everywhere.
 */
public final class AccountsApi implements Concern {

  /** The session key holding the signed-in person's name. */
  public static final String SESSION_USER = "mesh.user";

  /** The sign-in page, in the gateway's webroot. */
  public static final String SIGN_IN_PAGE = "/sign-in.html";

  /** Where a post ends the session (a form post is sent on to the sign-in page). */
  public static final String SIGN_OUT = "/auth/sign-out";

  private static final long MAX_BODY_BYTES = 16 * 1024;
  private static final Contract SIGN_IN = Contract.load("contracts/sign-in.schema.json");
  private static final Contract PERSON = Contract.load("contracts/person.schema.json");
  private static final Contract PASSWORD = Contract.load("contracts/password-change.schema.json");

  private static final System.Logger LOG = System.getLogger(AccountsApi.class.getName());
  private static final long LAST_RETRY_MS = 30_000;

  private final Vertx vertx;
  private final MeshConfig settings;
  private final AccountStore store;
  private final List<Door> doors;
  private volatile boolean ready;

  /**
   * The accounts of this gateway, on its database; refuses settings that cannot work (no database,
   * no usable first admin password) with a message naming the setting.
   */
  public static AccountsApi on(Vertx vertx, MeshConfig settings, Pool database) {
    String mode = Setting.IDENTITY_MODE.key() + "=accounts";
    if (database == null) {
      throw new IllegalArgumentException(
          mode + " keeps people in PostgreSQL: set " + Setting.DATABASE_URL.key());
    }
    String user = settings.string(Setting.ACCOUNTS_ADMIN_USER);
    if (user.isEmpty() || Identities.problem(user) != null || !user.equals(user.trim())) {
      throw new IllegalArgumentException(
          Setting.ACCOUNTS_ADMIN_USER.key() + " must be a name of 1 to 200 characters");
    }
    String problem = Passwords.problem(settings.string(Setting.ACCOUNTS_ADMIN_PASSWORD));
    if (problem != null) {
      throw new IllegalArgumentException(
          mode
              + " needs the first admin's password in "
              + Setting.ACCOUNTS_ADMIN_PASSWORD.key()
              + ", which "
              + (settings.isSet(Setting.ACCOUNTS_ADMIN_PASSWORD) ? problem : "is not set"));
    }
    AccountStore store =
        new AccountStore(
            vertx,
            database,
            settings.positive(Setting.ACCOUNTS_MAX_FAILED_SIGN_INS),
            Duration.ofMinutes(settings.positive(Setting.ACCOUNTS_LOCK_MINUTES)));
    return new AccountsApi(vertx, settings, store);
  }

  private AccountsApi(Vertx vertx, MeshConfig settings, AccountStore store) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = store;
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    doors =
        List.of(
            Door.on(HttpMethod.POST, "/auth/sign-in", AccessRule.PUBLIC)
                .through(body, this::signIn),
            Door.on(HttpMethod.POST, SIGN_OUT, AccessRule.PUBLIC).through(AccountsApi::signOut),
            Door.on(HttpMethod.PUT, "/api/me/password", AccessRule.SIGNED_IN)
                .through(body, this::changeOwnPassword),
            Door.get("/api/admin/people", AccessRule.ADMIN).through(this::list),
            Door.on(HttpMethod.POST, "/api/admin/people", AccessRule.ADMIN)
                .through(body, this::add),
            Door.get("/api/admin/people/:name", AccessRule.ADMIN).through(this::get),
            Door.on(HttpMethod.PUT, "/api/admin/people/:name", AccessRule.ADMIN)
                .through(body, this::update),
            Door.on(HttpMethod.DELETE, "/api/admin/people/:name", AccessRule.ADMIN)
                .through(this::remove),
            Door.on(HttpMethod.PUT, "/api/admin/people/:name/password", AccessRule.ADMIN)
                .through(body, this::resetPassword));
  }

  @Override
  public String name() {
    return "accounts";
  }

  @Override
  public List<Door> doors() {
    return doors;
  }

  /**
   * Prepares the schema and the first admin. The gateway serves meanwhile: until it has worked (the
   * database may come up later) signing in answers 503, and it is tried again with growing pauses.
   */
  @Override
  public Future<?> start() {
    prepare().onFailure(failure -> Schemas.retry(vertx, this::prepare, 1000, LAST_RETRY_MS));
    return Future.succeededFuture();
  }

  private Future<Void> prepare() {
    return AccountSchema.migrate(vertx, settings)
        .compose(
            migrated ->
                store.ensureAdmin(
                    settings.string(Setting.ACCOUNTS_ADMIN_USER),
                    settings.string(Setting.ACCOUNTS_ADMIN_PASSWORD)))
        .<Void>map(
            created -> {
              if (created) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "Created the first admin, "
                        + settings.string(Setting.ACCOUNTS_ADMIN_USER)
                        + ", with the password of "
                        + Setting.ACCOUNTS_ADMIN_PASSWORD.key());
              }
              ready = true;
              return null;
            })
        .onFailure(
            failure ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Sign-in is unavailable until the accounts' database can be prepared: "
                        + failure.getMessage()));
  }

  /** The people, for the gateway's check of who is calling. */
  public AccountStore store() {
    return store;
  }

  // ---- signing in and out

  /**
   * A form post (the sign-in page, which works without script) is answered with a redirect: to
   * where the person was going, or back to the page with the reason. JSON is answered with JSON.
   */
  private void signIn(RoutingContext ctx) {
    boolean form = isForm(ctx);
    JsonObject request;
    String next = "/";
    if (form) {
      MultiMap fields = ctx.request().formAttributes();
      request = new JsonObject();
      if (fields.get("user") != null) {
        request.put("user", fields.get("user").trim());
      }
      if (fields.get("password") != null) {
        request.put("password", fields.get("password"));
      }
      next = localPath(fields.get("next"));
    } else {
      request = JsonBodies.object(ctx, "the user and password");
      if (request == null) {
        return;
      }
    }
    JsonArray problems = SIGN_IN.problems(request);
    if (!problems.isEmpty()) {
      refuseSignIn(ctx, form, next, 400, "Give a user name and a password", problems);
      return;
    }
    if (!ready) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      HttpErrors.send(
          ctx, 503, "Signing in is not available yet: the accounts' database is being prepared");
      return;
    }
    String target = next;
    store
        .signIn(request.getString("user"), request.getString("password"))
        .onFailure(failure -> failed(ctx, failure))
        .onSuccess(
            result -> {
              if (result instanceof SignIn.Accepted accepted) {
                // the session is made only now (sessions are lazy): a failed try leaves no cookie
                Session session = ctx.session();
                // a new session id at sign-in, so that an id planted before cannot ride along
                session.regenerateId();
                session.put(SESSION_USER, accepted.person().name());
                if (form) {
                  redirect(ctx, target);
                } else {
                  json(ctx, 200, person(accepted.person()));
                }
              } else if (result instanceof SignIn.Locked locked) {
                long seconds =
                    Math.max(1, Duration.between(OffsetDateTime.now(), locked.until()).toSeconds());
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                refuseSignIn(
                    ctx,
                    form,
                    target,
                    429,
                    "Too many failed sign-ins for this account: try again in "
                        + minutes(seconds)
                        + ", or ask an admin to reset the password",
                    null);
              } else {
                refuseSignIn(ctx, form, target, 401, "Wrong user name or password", null);
              }
            });
  }

  private static void refuseSignIn(
      RoutingContext ctx, boolean form, String next, int status, String message, JsonArray why) {
    if (form) {
      redirect(
          ctx,
          SIGN_IN_PAGE
              + "?failed="
              + URLEncoder.encode(message, StandardCharsets.UTF_8)
              + "&next="
              + URLEncoder.encode(next, StandardCharsets.UTF_8));
    } else {
      HttpErrors.send(ctx, status, message, why);
    }
  }

  private static void signOut(RoutingContext ctx) {
    if (ctx.session() != null) {
      ctx.session().destroy();
    }
    if (isForm(ctx)) {
      redirect(ctx, SIGN_IN_PAGE + "?signed-out=1");
    } else {
      ctx.response().setStatusCode(204).end();
    }
  }

  private void changeOwnPassword(RoutingContext ctx) {
    JsonObject request = valid(ctx, PASSWORD, "your current and your new password");
    if (request == null) {
      return;
    }
    if (request.getString("current") == null) {
      HttpErrors.send(ctx, 400, "Give your current password as \"current\"");
      return;
    }
    String problem = Passwords.problem(request.getString("password"));
    if (problem != null) {
      HttpErrors.send(ctx, 400, "The new password " + problem);
      return;
    }
    String me = Identity.of(ctx).user();
    store
        .signIn(me, request.getString("current"))
        .compose(
            check -> {
              if (check instanceof SignIn.Accepted) {
                return store.setPassword(me, request.getString("password"));
              }
              throw new Refusal(
                  check instanceof SignIn.Locked ? 429 : 403,
                  check instanceof SignIn.Locked
                      ? "Too many failed tries: your account is locked for a while"
                      : "Your current password is not right");
            })
        .onSuccess(person -> json(ctx, 200, person(person)))
        .onFailure(failure -> failed(ctx, failure));
  }

  // ---- the admin's API

  private void list(RoutingContext ctx) {
    store
        .list()
        .onSuccess(
            people -> {
              JsonArray all = new JsonArray();
              people.forEach(person -> all.add(person(person)));
              json(ctx, 200, new JsonObject().put("people", all));
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    store
        .find(name)
        .onSuccess(
            person -> {
              if (person == null) {
                HttpErrors.send(ctx, 404, "Nobody is named " + name);
              } else {
                json(ctx, 200, person(person));
              }
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  private void add(RoutingContext ctx) {
    JsonObject request = valid(ctx, PERSON, "the person: name, password, role, groups");
    if (request == null) {
      return;
    }
    if (request.getString("name") == null || request.getString("password") == null) {
      HttpErrors.send(ctx, 400, "A new person needs a \"name\" and a \"password\"");
      return;
    }
    String name = request.getString("name");
    if (!name.equals(name.trim())) {
      HttpErrors.send(ctx, 400, "The name must not start or end with white space");
      return;
    }
    String problem = Passwords.problem(request.getString("password"));
    if (problem != null) {
      HttpErrors.send(ctx, 400, "The password " + problem);
      return;
    }
    store
        .add(
            name,
            request.getString("password"),
            role(request, Role.VIEWER),
            groups(request),
            Identity.of(ctx).user())
        .onSuccess(
            person -> {
              ctx.response()
                  .putHeader(
                      HttpHeaders.LOCATION,
                      "/api/admin/people/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
              json(ctx, 201, person(person));
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  private void update(RoutingContext ctx) {
    JsonObject request = valid(ctx, PERSON, "the person's role and groups");
    if (request == null) {
      return;
    }
    String name = ctx.pathParam("name");
    if (request.containsKey("password")) {
      HttpErrors.send(
          ctx, 400, "Set a password with PUT /api/admin/people/{name}/password, not here");
      return;
    }
    if (request.containsKey("name") && !name.equals(request.getString("name"))) {
      HttpErrors.send(ctx, 400, "A person's name cannot be changed; it names " + name + " here");
      return;
    }
    store
        .find(name)
        .compose(
            person -> {
              if (person == null) {
                throw new Refusal(404, "Nobody is named " + name);
              }
              return store.update(
                  name,
                  role(request, person.role()),
                  request.containsKey("groups") ? groups(request) : person.groups());
            })
        .onSuccess(person -> json(ctx, 200, person(person)))
        .onFailure(failure -> failed(ctx, failure));
  }

  private void remove(RoutingContext ctx) {
    store
        .remove(ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(failure -> failed(ctx, failure));
  }

  private void resetPassword(RoutingContext ctx) {
    JsonObject request = valid(ctx, PASSWORD, "the new password");
    if (request == null) {
      return;
    }
    String problem = Passwords.problem(request.getString("password"));
    if (problem != null) {
      HttpErrors.send(ctx, 400, "The password " + problem);
      return;
    }
    store
        .setPassword(ctx.pathParam("name"), request.getString("password"))
        .onSuccess(person -> json(ctx, 200, person(person)))
        .onFailure(failure -> failed(ctx, failure));
  }

  // ---- helpers

  /** The body checked against its contract, or null after a 400 naming every problem. */
  private static JsonObject valid(RoutingContext ctx, Contract contract, String what) {
    JsonObject request = JsonBodies.object(ctx, what);
    if (request == null) {
      return null;
    }
    JsonArray problems = contract.problems(request);
    if (!problems.isEmpty()) {
      HttpErrors.send(
          ctx, 400, "The body is not " + what + ": " + Contract.describe(problems), problems);
      return null;
    }
    return request;
  }

  private static Role role(JsonObject request, Role otherwise) {
    String role = request.getString("role");
    return role == null ? otherwise : Role.valueOf(role.toUpperCase(Locale.ROOT));
  }

  private static List<String> groups(JsonObject request) {
    JsonArray groups = request.getJsonArray("groups");
    List<String> names = new ArrayList<>();
    if (groups != null) {
      groups.forEach(group -> names.add(((String) group).trim()));
    }
    return names;
  }

  /** A person as the API shows them: never the hash. */
  static JsonObject person(Person person) {
    return new JsonObject()
        .put("name", person.name())
        .put("role", person.role().json())
        .put("groups", new JsonArray(person.groups()))
        .put(
            "locked",
            person.lockedUntil() != null && person.lockedUntil().isAfter(OffsetDateTime.now()))
        .put("passwordSetAt", person.passwordSetAt().toString())
        .put("createdAt", person.createdAt().toString())
        .put("createdBy", person.createdBy());
  }

  private static void failed(RoutingContext ctx, Throwable failure) {
    if (failure instanceof Refusal refusal) {
      HttpErrors.send(ctx, refusal.status(), refusal.getMessage());
    } else if (Databases.unreachable(failure)) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      HttpErrors.send(ctx, 503, "The accounts' database cannot be reached; try again in a moment");
    } else {
      ctx.fail(failure);
    }
  }

  private static boolean isForm(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /**
   * Where a sign-in may send the browser on: a path of this origin only ("/..." but not "//host"),
   * so that the sign-in page cannot be used to send people elsewhere.
   */
  static String localPath(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.length() > 2000
        || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      return "/";
    }
    return next;
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response()
        .setStatusCode(303)
        .putHeader(HttpHeaders.LOCATION, location)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  private static String minutes(long seconds) {
    long minutes = (seconds + 59) / 60;
    return minutes == 1 ? "a minute" : minutes + " minutes";
  }
}
