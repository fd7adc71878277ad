package dev.mesh.gateway.identity.tokens;

import dev.mesh.common.Addresses;
import dev.mesh.common.Contract;
import dev.mesh.common.Databases;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.JsonBodies;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.TeamTokens;
import dev.mesh.gateway.Schemas;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import dev.mesh.gateway.identity.Identity;
import dev.mesh.gateway.identity.accounts.AccountSchema;
import dev.mesh.gateway.identity.tokens.TeamTokenStore.TeamToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Teams' tokens for widget registration (docs/registry.md, "Team tokens"): an admin creates, lists
 * and revokes them at {@code /api/admin/team-tokens}; the registry asks on {@link
 * Addresses#TEAM_TOKENS} which team a token's hash belongs to. A token is shown once, in the answer
 * that created it, and stored only as its SHA-256. Whenever the gateway has a database, in every
 * identity mode: the people behind the admin's door come from the mode, the tokens from here.
 */
public final class TeamTokensApi implements Concern {

  /** The admin's doors. */
  public static final String PATH = "/api/admin/team-tokens";

  private static final long MAX_BODY_BYTES = 16 * 1024;
  private static final long LAST_RETRY_MS = 30_000;
  private static final Contract TEAM_TOKEN = Contract.load("contracts/team-token.schema.json");
  private static final System.Logger LOG = System.getLogger(TeamTokensApi.class.getName());

  private final Vertx vertx;
  private final MeshConfig settings;
  private final TeamTokenStore store;
  private final List<Door> doors;
  private volatile boolean ready;

  private TeamTokensApi(Vertx vertx, MeshConfig settings, Pool database) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = new TeamTokenStore(database);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    doors =
        List.of(
            Door.get(PATH, AccessRule.ADMIN).through(this::list),
            Door.on(HttpMethod.POST, PATH, AccessRule.ADMIN).through(body, this::create),
            Door.on(HttpMethod.DELETE, PATH + "/:id", AccessRule.ADMIN).through(this::revoke));
  }

  /** The team tokens kept in {@code database}. */
  public static TeamTokensApi on(Vertx vertx, MeshConfig settings, Pool database) {
    return new TeamTokensApi(vertx, settings, database);
  }

  @Override
  public String name() {
    return "team-tokens";
  }

  @Override
  public List<Door> doors() {
    return doors;
  }

  /**
   * Answers the registry on the bus, and prepares the schema meanwhile: until it is ready the doors
   * and the lookups answer 503, and it is tried again with growing pauses.
   */
  @Override
  public Future<?> start() {
    prepare().onFailure(failure -> Schemas.retry(vertx, this::prepare, 1000, LAST_RETRY_MS));
    MessageConsumer<JsonObject> lookups =
        vertx.eventBus().consumer(Addresses.TEAM_TOKENS, this::lookup);
    return lookups.completion();
  }

  private Future<Void> prepare() {
    return AccountSchema.migrate(vertx, settings)
        .<Void>map(
            migrated -> {
              ready = true;
              return null;
            })
        .onFailure(
            failure ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Team tokens are unavailable until the identity database can be prepared: "
                        + failure.getMessage()));
  }

  // ---- the registry's question

  /**
   * {@code {"hash"}} → {@code {"team"}}; 404 for no token (or a revoked one), 400 for a request
   * that is no hash, 503 while the database cannot answer.
   */
  private void lookup(Message<JsonObject> message) {
    Object body = message.body();
    String hash = body instanceof JsonObject request ? request.getString("hash") : null;
    if (!TeamTokens.isHash(hash)) {
      message.fail(400, "Ask with {\"hash\": the token's SHA-256 in lower-case hex}");
      return;
    }
    if (!ready) {
      message.fail(503, "The team tokens' database is being prepared");
      return;
    }
    store
        .teamOf(hash)
        .onSuccess(
            team -> {
              if (team == null) {
                message.fail(404, "No team token has this hash, or it was revoked");
              } else {
                message.reply(new JsonObject().put("team", team));
              }
            })
        .onFailure(failure -> message.fail(503, "The team tokens cannot be read: " + failure));
  }

  // ---- the admin's doors

  private void create(RoutingContext ctx) {
    if (notReady(ctx)) {
      return;
    }
    JsonObject request = JsonBodies.object(ctx, "a team token: {\"team\", \"label\"}");
    if (request == null) {
      return;
    }
    JsonArray problems = TEAM_TOKEN.problems(request);
    if (!problems.isEmpty()) {
      HttpErrors.send(
          ctx,
          400,
          "The body is not a team token: {\"team\", \"label\"} where team is a widget owner's name"
              + " as manifests give it: "
              + Contract.describe(problems),
          problems);
      return;
    }
    store
        .create(request.getString("team"), request.getString("label", ""), Identity.of(ctx).user())
        .onSuccess(
            created -> {
              ctx.response().putHeader(HttpHeaders.LOCATION, PATH + "/" + created.token().id());
              json(ctx, 201, view(created.token()).put("token", created.secret()));
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    if (notReady(ctx)) {
      return;
    }
    store
        .list()
        .onSuccess(
            tokens -> {
              JsonArray all = new JsonArray();
              tokens.forEach(token -> all.add(view(token)));
              json(ctx, 200, new JsonObject().put("tokens", all));
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  private void revoke(RoutingContext ctx) {
    if (notReady(ctx)) {
      return;
    }
    String given = ctx.pathParam("id");
    UUID id;
    try {
      id = UUID.fromString(given);
    } catch (IllegalArgumentException notAnId) {
      HttpErrors.send(ctx, 404, "No team token has the id " + given);
      return;
    }
    store
        .revoke(id)
        .onSuccess(
            revoked -> {
              if (revoked) {
                ctx.response().setStatusCode(204).end();
              } else {
                HttpErrors.send(ctx, 404, "No team token has the id " + id);
              }
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  /** A token as the API shows it: never the token, never its hash. */
  private static JsonObject view(TeamToken token) {
    return new JsonObject()
        .put("id", token.id().toString())
        .put("team", token.team())
        .put("label", token.label())
        .put("createdBy", token.createdBy())
        .put("created", instant(token.createdAt()))
        .put("revoked", instant(token.revokedAt()))
        .put("lastUsed", instant(token.lastUsedAt()));
  }

  private static String instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  private boolean notReady(RoutingContext ctx) {
    if (ready) {
      return false;
    }
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
    HttpErrors.send(ctx, 503, "Team tokens are not available yet: the database is being prepared");
    return true;
  }

  private static void failed(RoutingContext ctx, Throwable failure) {
    if (Databases.unreachable(failure)) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      HttpErrors.send(
          ctx, 503, "The team tokens' database cannot be reached; try again in a moment");
    } else {
      ctx.fail(failure);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
