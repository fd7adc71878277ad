package dev.mesh.gateway.identity;

import dev.mesh.common.Databases;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import dev.mesh.gateway.doors.Guard;
import dev.mesh.gateway.identity.accounts.AccountsApi;
import dev.mesh.gateway.identity.accounts.CrossSite;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.ClusteredSessionStore;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells who a request comes from, by the identity mode ({@code MESH_IDENTITY_MODE},
 * docs/identity.md). In mode {@code local} the gateway authenticates nobody itself: behind an
 * authenticating proxy (oauth2-proxy) the user and groups arrive in headers, which are believed
 * only as far as the trust setting says, since anybody can send them; without a believed header the
 * caller is the configured local user (the all-in-one's single person), or nobody (401) when there
 * is none. In mode {@code accounts} the caller is the person whose session the cookie names ({@link
 * AccountsApi} signs them in), read from the database on every request so that a removal or a new
 * role counts at once; the headers are ignored.
 *
 * <p>It is the gateway's {@link Guard}: the check at every door whose rule asks who is calling, and
 * the concern that answers {@code GET /api/me}.
 */
public final class Identities implements Concern, Guard {

  /** How the gateway tells who is calling. */
  enum Mode {
    /** No sign-in: the local user, or believed identity headers. */
    LOCAL,
    /** The built-in accounts: a sign-in page and sessions in the cluster. */
    ACCOUNTS
  }

  /** The pages that show a person's dashboards and widgets. */
  private static final List<String> DASHBOARD_PAGES =
      List.of("/", "/index.html", "/catalog.html", "/preview.html");

  private static final long SESSION_LOOKUP_RETRY_MS = 500;

  /** The session cookie of mode accounts. */
  public static final String SESSION_COOKIE = "mesh.session";

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
  private final Mode mode;
  private final boolean secureCookie;
  private final AccountsApi accounts;
  private final List<Door> doors;

  private Identities(Vertx vertx, MeshConfig settings, Pool database) {
    mode = settings.choice(Setting.IDENTITY_MODE, Mode.class);
    secureCookie = settings.flag(Setting.SESSION_COOKIE_SECURE);
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
    Door me = Door.get("/api/me", AccessRule.SIGNED_IN).through(this::me);
    if (mode == Mode.ACCOUNTS) {
      accounts = AccountsApi.on(vertx, settings, database);
      List<Door> all = new ArrayList<>();
      all.add(
          Door.any("/*", AccessRule.PUBLIC).through(sessions(vertx, settings), CrossSite::check));
      // the dashboard's pages send a stranger to sign in; their scripts, styles and the sign-in
      // page itself stay public
      DASHBOARD_PAGES.forEach(page -> all.add(Door.get(page, AccessRule.SIGNED_IN)));
      all.add(me);
      doors = List.copyOf(all);
    } else {
      accounts = null;
      doors = List.of(me);
    }
  }

  /**
   * Sessions kept in the cluster, so that every gateway replica knows every signed-in person and a
   * sign-out ends the session everywhere. Lazy: a request that never signs in (a page, a tracking
   * pixel) gets no session and no cookie.
   */
  private static SessionHandler sessions(Vertx vertx, MeshConfig settings) {
    // a session written on one member is readable on every other at once (Hazelcast's map writes
    // to the key's owner before answering), so the store need not keep looking for a missing one
    // for its default 5 s: a cookie of an ended session is found missing within half a second
    return SessionHandler.create(ClusteredSessionStore.create(vertx, SESSION_LOOKUP_RETRY_MS))
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(settings.flag(Setting.SESSION_COOKIE_SECURE))
        .setSessionTimeout(settings.positive(Setting.SESSION_TIMEOUT_MINUTES) * 60_000L)
        .setLazySession(true);
  }

  /**
   * The identities of mode {@code MESH_IDENTITY_MODE}; mode accounts keeps people in {@code
   * database}.
   */
  public static Identities on(Vertx vertx, MeshConfig settings, Pool database) {
    return new Identities(vertx, settings, database);
  }

  /**
   * The concerns that tell who is calling, to come first in the route table: this one (sessions,
   * the check of cross-site requests, {@code /api/me}) and, in mode accounts, signing in and the
   * admin's API.
   */
  public List<Concern> concerns() {
    return accounts == null ? List.of(this) : List.of(this, accounts);
  }

  @Override
  public String name() {
    return "identity";
  }

  /** {@code GET /api/me}: who the gateway takes the caller for. */
  @Override
  public List<Door> doors() {
    return doors;
  }

  /**
   * The caller as JSON; in mode accounts also {@code signOut}, where a form post ends the session
   * (the dashboard shows a "Sign out" button only where there is a session to end).
   */
  private void me(RoutingContext ctx) {
    JsonObject me = Identity.of(ctx).toJson();
    if (mode == Mode.ACCOUNTS) {
      me.put("signOut", AccountsApi.SIGN_OUT);
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(me.encode());
  }

  /**
   * The check of a door by its rule: a signed-in caller for {@link AccessRule#SIGNED_IN}, and for
   * {@link AccessRule#EDITOR} and {@link AccessRule#ADMIN} a 403 besides for a caller whose role is
   * lower, naming their role and the one the door needs.
   */
  @Override
  public SecurityPolicyHandler admitting(Door door) {
    return switch (door.access()) {
      case SIGNED_IN -> checked(null, door);
      case EDITOR -> checked(Role.EDITOR, door);
      case ADMIN -> checked(Role.ADMIN, door);
      case PUBLIC, SERVICE ->
          throw new IllegalArgumentException(
              door + " is " + door.access() + ": the gateway does not ask who is calling there");
    };
  }

  /**
   * Puts the caller's {@link Identity} on the request and lets it on, or answers 401 (nobody; a
   * page asked for by a stranger in mode accounts is a redirect to the sign-in page), 403 (a role
   * lower than {@code needed}) or 400 (an unusable header). A security-policy handler, so that it
   * runs before a body is read: a stranger gets 401, never 413.
   */
  private SecurityPolicyHandler checked(Role needed, Door door) {
    return ctx ->
        identify(
            ctx,
            identity -> {
              if (needed != null && !identity.role().atLeast(needed)) {
                HttpErrors.send(
                    ctx,
                    403,
                    "You ("
                        + identity.user()
                        + ") have the "
                        + identity.role().json()
                        + " role; "
                        + ctx.request().method()
                        + " "
                        + door.path()
                        + " needs the "
                        + needed.json()
                        + " role: ask an admin for it");
                return;
              }
              identity.attachTo(ctx);
              ctx.next();
            });
  }

  /** Hands the caller's identity to {@code admitted}, or answers the request itself. */
  private void identify(RoutingContext ctx, Consumer<Identity> admitted) {
    if (mode == Mode.LOCAL) {
      Identity identity = identify(ctx);
      if (identity != null) {
        admitted.accept(identity);
      }
      return;
    }
    // only a request with the cookie of a stored session has a session to read: asking for one
    // marks it used, and a used session is stored, and its cookie sent, with any 2xx or 3xx answer
    // (the redirect to the sign-in page), so every stranger opening a page would leave a session
    // in the cluster
    Session session = ctx.request().getCookie(SESSION_COOKIE) == null ? null : ctx.session();
    String name = session == null ? null : session.get(AccountsApi.SESSION_USER);
    if (name == null) {
      if (session != null) {
        // a stored session without a person in it: it goes, and its cookie with it
        session.destroy();
      } else if (sentSessionCookie(ctx)) {
        // the cookie of a session that ended (timed out): the session handler found nothing and
        // took the cookie out of the request, so it never tells the browser to forget it, and the
        // browser would send it, and wait for the store to look for it, with every request
        ctx.response().addCookie(expiredSessionCookie());
      }
      stranger(ctx);
      return;
    }
    // the body waits, unread, until the door's own handlers (a body handler, a proxy) take it
    ctx.request().pause();
    accounts
        .store()
        .find(name)
        .onFailure(
            failure -> {
              if (Databases.unreachable(failure)) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
                HttpErrors.send(
                    ctx, 503, "Who is signed in cannot be read now: the database is unreachable");
              } else {
                ctx.fail(failure);
              }
            })
        .onSuccess(
            person -> {
              if (person == null) {
                // removed by an admin since signing in
                session.destroy();
                stranger(ctx);
                return;
              }
              Role configured = namedRole(person.name(), person.groups());
              admitted.accept(
                  new Identity(
                      person.name(),
                      person.groups(),
                      configured.atLeast(person.role()) ? configured : person.role()));
            });
  }

  /**
   * Whether the request came with a session cookie, read from its header: the session handler takes
   * the cookie of an unknown session out of the request's cookies.
   */
  private static boolean sentSessionCookie(RoutingContext ctx) {
    for (String header : ctx.request().headers().getAll(HttpHeaders.COOKIE)) {
      for (String cookie : header.split(";")) {
        if (cookie.trim().startsWith(SESSION_COOKIE + "=")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The session cookie with the attributes it was set with, expired. */
  private Cookie expiredSessionCookie() {
    return Cookie.cookie(SESSION_COOKIE, "")
        .setPath("/")
        .setMaxAge(0)
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX)
        .setSecure(secureCookie);
  }

  /**
   * A caller in mode accounts without a session: a browser asking for a page is sent to sign in
   * (and back afterwards), anything else gets 401.
   */
  private static void stranger(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (ctx.request().method() == HttpMethod.GET
        && (path.endsWith("/") || path.endsWith(".html"))) {
      ctx.response()
          .setStatusCode(302)
          .putHeader(
              HttpHeaders.LOCATION,
              AccountsApi.SIGN_IN_PAGE
                  + "?next="
                  + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8))
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end();
      return;
    }
    HttpErrors.send(
        ctx, 401, "Sign in first: POST /auth/sign-in, or the page " + AccountsApi.SIGN_IN_PAGE);
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

  /**
   * The role the settings give a person of mode accounts by name or group. A {@code *} there (the
   * all-in-one's default, everybody an editor) gives nothing: each person's own role, set by an
   * admin, counts, and a viewer stays a viewer.
   */
  private Role namedRole(String user, List<String> groups) {
    if (named(admins, user, groups)) {
      return Role.ADMIN;
    }
    return named(editors, user, groups) ? Role.EDITOR : Role.VIEWER;
  }

  /** Whether {@code names} names the user or one of their groups ({@code *} names nobody here). */
  private static boolean named(Set<String> names, String user, List<String> groups) {
    return names.contains(user) || groups.stream().anyMatch(names::contains);
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
