package dev.mesh.registry;

import dev.mesh.common.HttpErrors;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards registrations with the configured bearer token; lets everything through when none is set.
 * A security-policy handler in Vert.x Web's order, so it refuses a stranger before the body is read
 * (401, not 413 for a large body, and no memory spent on it).
 */
final class BearerToken implements SecurityPolicyHandler {

  private final byte[] expected;

  BearerToken(String token) {
    this.expected =
        token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(ctx, "This registry requires a bearer token: send 'Authorization: Bearer <token>'");
      return;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      refuse(ctx, "The bearer token is not valid");
      return;
    }
    ctx.next();
  }

  private static void refuse(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"mesh-registry\"");
    HttpErrors.send(ctx, 401, message);
  }
}
