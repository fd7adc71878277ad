package dev.mesh.gateway.identity;

import dev.mesh.common.HttpErrors;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells who a request comes from. The gateway authenticates nobody itself: behind an authenticating
 * proxy (oauth2-proxy) the user and groups arrive in headers, which are believed only as far as the
 * trust setting says, since anybody can send them. Without a believed header the caller is the
 * configured local user (the all-in-one's single person), or nobody (401) when there is none.
 */
public final class Identities {

  /** When the identity headers are believed. */
  enum Trust {
    /**
     * Only from a loopback peer: on a laptop, several users can be tried with curl or a header
     * extension.
     */
    LOOPBACK,
    /** From anybody: only behind a proxy that sets (and strips) the headers itself. */
    ALWAYS,
    /** Never: everybody is the local user. */
    NEVER
  }

  static final int MAX_NAME = 200;
  private static final int MAX_GROUPS = 500;

  private final Trust trust;
  private final String userHeader;
  private final String groupsHeader;
  private final String localUser;
  private final Set<String> admins;
  private final Set<String> editors;

  private Identities(MeshConfig settings) {
    trust = settings.choice(Setting.IDENTITY_TRUST, Trust.class);
    userHeader = settings.string(Setting.IDENTITY_USER_HEADER);
    groupsHeader = settings.string(Setting.IDENTITY_GROUPS_HEADER);
    localUser = settings.string(Setting.IDENTITY_LOCAL_USER);
    admins = Set.copyOf(settings.list(Setting.ROLE_ADMINS));
    editors = Set.copyOf(settings.list(Setting.ROLE_EDITORS));
    if (trust != Trust.NEVER && userHeader.isEmpty()) {
      throw new IllegalArgumentException(
          Setting.IDENTITY_USER_HEADER.key()
              + " must name a header while "
              + Setting.IDENTITY_TRUST.key()
              + " is "
              + trust.name().toLowerCase());
    }
    if (!localUser.isEmpty() && problem(localUser) != null) {
      throw new IllegalArgumentException(
          Setting.IDENTITY_LOCAL_USER.key() + " " + problem(localUser));
    }
  }

  public static Identities from(MeshConfig settings) {
    return new Identities(settings);
  }

  /** {@code GET /api/me}: who the gateway takes the caller for. */
  public void mount(Router router) {
    router
        .get("/api/me")
        .handler(required())
        .handler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(Identity.of(ctx).toJson().encode()));
  }

  /**
   * Puts the caller's {@link Identity} on the request, or answers 401 (nobody) or 400 (an unusable
   * header). A security-policy handler, so that it runs before a body is read: a stranger gets 401,
   * never 413.
   */
  public SecurityPolicyHandler required() {
    return ctx -> {
      Identity identity = identify(ctx);
      if (identity != null) {
        identity.attachTo(ctx);
        ctx.next();
      }
    };
  }

  private Identity identify(RoutingContext ctx) {
    String user = null;
    List<String> groups = List.of();
    if (believesHeaders(ctx.request().remoteAddress())) {
      user = ctx.request().getHeader(userHeader);
      user = user == null ? null : user.trim();
      if (user != null && !user.isEmpty()) {
        String wrong = problem(user);
        if (wrong != null) {
          HttpErrors.send(ctx, 400, "The " + userHeader + " header " + wrong);
          return null;
        }
        groups = groups(ctx.request().getHeader(groupsHeader));
        if (groups == null) {
          HttpErrors.send(
              ctx,
              400,
              "The "
                  + groupsHeader
                  + " header must list at most "
                  + MAX_GROUPS
                  + " comma-separated groups of 1 to "
                  + MAX_NAME
                  + " characters without control characters");
          return null;
        }
      } else {
        user = null;
      }
    }
    if (user == null) {
      if (localUser.isEmpty()) {
        HttpErrors.send(
            ctx,
            401,
            "Sign in: this gateway takes the user from the "
                + userHeader
                + " header set by the authenticating proxy, and none came with this request");
        return null;
      }
      user = localUser;
    }
    return new Identity(user, groups, role(user, groups));
  }

  private boolean believesHeaders(SocketAddress peer) {
    return switch (trust) {
      case ALWAYS -> true;
      case NEVER -> false;
      case LOOPBACK -> isLoopback(peer);
    };
  }

  /** Whether the TCP peer is this machine; compared textually, so no name is ever looked up. */
  static boolean isLoopback(SocketAddress peer) {
    String host = peer == null ? null : peer.hostAddress();
    if (host == null) {
      return false;
    }
    String ip = host.toLowerCase();
    if (ip.startsWith("::ffff:")) {
      ip = ip.substring("::ffff:".length());
    }
    return ip.startsWith("127.") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1");
  }

  private Role role(String user, List<String> groups) {
    if (matches(admins, user, groups)) {
      return Role.ADMIN;
    }
    return matches(editors, user, groups) ? Role.EDITOR : Role.VIEWER;
  }

  private static boolean matches(Set<String> names, String user, List<String> groups) {
    return names.contains("*") || names.contains(user) || groups.stream().anyMatch(names::contains);
  }

  /** The groups of a header, or null when they are unusable. */
  private static List<String> groups(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    Set<String> groups = new LinkedHashSet<>();
    for (String part : header.split(",")) {
      String group = part.trim();
      if (group.isEmpty()) {
        continue;
      }
      if (problem(group) != null) {
        return null;
      }
      groups.add(group);
    }
    return groups.size() > MAX_GROUPS ? null : new ArrayList<>(groups);
  }

  /** What is wrong with a user or group name, or null when it is fine. */
  public static String problem(String name) {
    if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME) {
      return "must be 1 to " + MAX_NAME + " characters long";
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return "must not contain control characters";
    }
    return null;
  }
}
