package dev.mesh.registry;

import dev.mesh.common.Addresses;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.TeamTokens;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may write over REST: the platform's token ({@code MESH_REGISTRY_TOKEN}, any widget), a team's
 * token (only the widgets its team owns; docs/registry.md, "Team tokens"), or, when no token is
 * asked ({@code MESH_REGISTRY_TOKEN} empty and {@code MESH_REGISTRY_REQUIRE_TOKEN} false), anybody
 * who sends none. A team's token is known to the gateway, which keeps only its hash: this asks it
 * on {@link Addresses#TEAM_TOKENS} with the hash, never the token, within {@link
 * #LOOKUP_TIMEOUT_MS} (503 with {@code Retry-After} when the gateway cannot answer), and remembers
 * a known token for {@link #REMEMBER_MS} at most, so a revoked token stops working within that time
 * on every registry. An unknown token is never remembered.
 *
 * <p>A security-policy handler in Vert.x Web's order, so it refuses a stranger before the body is
 * read (401, not 413 for a large body, and no memory spent on it).
 */
final class BearerToken implements SecurityPolicyHandler {

  /** How long the registry waits for the gateway's answer about a team's token. */
  static final long LOOKUP_TIMEOUT_MS = 2000;

  /** How long a team's token, once known, is taken without asking again. */
  static final long REMEMBER_MS = 5000;

  private static final int REMEMBER_AT_MOST = 10_000;
  private static final String TEAM = "mesh.registry.team";

  private final Vertx vertx;
  private final byte[] platform;
  private final boolean required;

  /** Known tokens by hash; read and written on this verticle's event loop only. */
  private final Map<String, Known> known = new HashMap<>();

  private record Known(String team, long until) {}

  BearerToken(Vertx vertx, String token, boolean required) {
    this.vertx = vertx;
    this.platform =
        token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.required = required;
  }

  /**
   * The team whose token the request was let in with; null for the platform's token or a registry
   * that asks for none (any widget).
   */
  static String team(RoutingContext ctx) {
    return ctx.get(TEAM);
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean asked = platform != null || required;
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      if (asked) {
        refuse(ctx, "This registry requires a bearer token: send 'Authorization: Bearer <token>'");
      } else {
        ctx.next();
      }
      return;
    }
    String given = header.substring(7).trim();
    if (platform != null
        && MessageDigest.isEqual(platform, given.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
      return;
    }
    if (!TeamTokens.isShaped(given)) {
      // neither the platform's token nor a team's: nobody need be asked; where no token is asked,
      // it is ignored as it always was
      if (asked) {
        refuse(ctx, "The bearer token is not valid");
      } else {
        ctx.next();
      }
      return;
    }
    String hash = TeamTokens.hash(given);
    long now = System.currentTimeMillis();
    Known remembered = known.get(hash);
    if (remembered != null && remembered.until() > now) {
      admit(ctx, remembered.team());
      return;
    }
    known.remove(hash);
    // the body waits, unread, until the route's body handler takes it
    ctx.request().pause();
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.TEAM_TOKENS,
            new JsonObject().put("hash", hash),
            new DeliveryOptions().setSendTimeout(LOOKUP_TIMEOUT_MS))
        .onSuccess(
            reply -> {
              String team = reply.body().getString("team");
              if (known.size() >= REMEMBER_AT_MOST) {
                known.clear();
              }
              known.put(hash, new Known(team, System.currentTimeMillis() + REMEMBER_MS));
              admit(ctx, team);
            })
        .onFailure(
            failure -> {
              if (failure instanceof ReplyException reply
                  && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                  && reply.failureCode() == 404) {
                refuse(ctx, "The bearer token is not valid");
              } else {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
                HttpErrors.send(
                    ctx,
                    503,
                    "The bearer token is no platform token, and the gateway that knows the teams'"
                        + " tokens cannot be asked now ("
                        + failure.getMessage()
                        + "); try again");
              }
            });
  }

  private static void admit(RoutingContext ctx, String team) {
    ctx.put(TEAM, team);
    ctx.next();
  }

  private static void refuse(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"mesh-registry\"");
    HttpErrors.send(ctx, 401, message);
  }

  /** The message of a team's refusal: {@code team sales may not register widget x owned by y}. */
  static String notYours(String team, String what, String id, String owner) {
    return "team " + team + " may not " + what + " widget " + id + " owned by " + owner;
  }
}
