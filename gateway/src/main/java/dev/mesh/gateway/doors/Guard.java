package dev.mesh.gateway.doors;

import io.vertx.ext.web.handler.SecurityPolicyHandler;

/**
 * The check at a door whose rule asks who is calling ({@link AccessRule#asksWhoIsCalling()}): it
 * lets the request on ({@code ctx.next()}) or answers it with a JSON 401, 403 or 400 itself. A
 * security-policy handler, so that Vert.x Web runs it before any body is read.
 */
@FunctionalInterface
public interface Guard {

  /** The check of {@code door}, by its rule. */
  SecurityPolicyHandler admitting(Door door);
}
