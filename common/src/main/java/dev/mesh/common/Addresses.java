package dev.mesh.common;

/**
 * Event-bus addresses that are contracts between services (and, through the bridge, the browser).
 */
public final class Addresses {

  /** Request/reply API of the registry for cluster members: {@code {"action": "register", ...}}. */
  public static final String REGISTRY = "mesh.registry";

  /**
   * The registry's change feed: {@code {"type": "registered|updated|expired|removed", "id",
   * "widget", "reason", "at"}}. Published to every subscriber; the bridge exposes it read-only.
   */
  public static final String REGISTRY_CHANGES = "mesh.registry.changes";

  /**
   * The gateway's check of a team's registration token (docs/registry.md, "Team tokens"): request
   * {@code {"hash": "<SHA-256 of the token, lower-case hex>"}}, reply {@code {"team": "sales"}}, or
   * a failure with code 404 when no token that is not revoked has that hash (400 for a malformed
   * request, 503 when the gateway's database cannot answer). Only the hash crosses the bus, never
   * the token. For cluster members (the registry); the bridge never exposes it.
   */
  public static final String TEAM_TOKENS = "mesh.identity.team-tokens";

  /**
   * The tracker's live feed: per site, within a second of their arrival, the hits that just arrived
   * ({@code {"site", "at", "views", "events", "pages": {path: views}, "visitorsNow"}}, contract
   * {@code contracts/tracker-live.schema.json} in the tracker). Published to every subscriber; the
   * bridge exposes it read-only.
   */
  public static final String TRACKER_LIVE = "mesh.tracker.live";

  /**
   * Services that pages may call with request/reply through the bridge: a verticle that consumes
   * {@code mesh.api.<name>} answers pages (and must treat every body as untrusted input). Nothing
   * else on the bus is reachable from a page, and a page can only send here, never publish or
   * listen.
   */
  public static final String PAGE_SERVICES_PREFIX = "mesh.api.";

  /**
   * Header the bridge sets, overwriting whatever the page sent, on every request to a page service:
   * the caller's session scope, so a service can answer into {@code mesh.session.<scope>.<topic>}.
   */
  public static final String SCOPE_HEADER = "mesh-scope";

  private Addresses() {}
}
