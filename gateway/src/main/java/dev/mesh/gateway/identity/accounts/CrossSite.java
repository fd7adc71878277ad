package dev.mesh.gateway.identity.accounts;

import dev.mesh.common.HttpErrors;
import dev.mesh.gateway.identity.Identities;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses cross-site request forgery where sessions are cookies (mode accounts): a request that
 * changes something and carries the session cookie, or signs in, must come from a page of the
 * gateway's own host, as its {@code Origin} (or, without one, its {@code Referer}) says. Browsers
 * set both and no page can forge them; a client that sends neither is no browser, and no other
 * site's page can make it send the cookie. The session cookie's {@code SameSite=Lax} is the first
 * line; this is the second, for browsers and setups where that is not enough.
 */
public final class CrossSite {

  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  private CrossSite() {}

  /** A security-policy step: on to the next handler, or a 403 naming the other site. */
  public static void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    boolean guarded =
        !SAFE.contains(request.method())
            && (ctx.request().getCookie(Identities.SESSION_COOKIE) != null
                || ctx.normalizedPath().startsWith("/auth/"));
    if (!guarded) {
      ctx.next();
      return;
    }
    String from = request.getHeader("Origin");
    if (from == null || from.equals("null")) {
      from = request.getHeader("Referer");
    }
    if (from == null || sameHost(from, host(request))) {
      ctx.next();
    } else {
      HttpErrors.send(
          ctx,
          403,
          "Refused: this request changes something with your session but comes from another site ("
              + origin(from)
              + ")");
    }
  }

  /** The host the request was sent to: HTTP/1's Host header, HTTP/2's :authority. */
  private static String host(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority == null) {
      return null;
    }
    return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
  }

  /**
   * Whether {@code url} (an origin or a referring page) is on {@code host} (the request's Host
   * header, with or without a port; behind a TLS proxy the scheme differs, the host not).
   */
  static boolean sameHost(String url, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        return false;
      }
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      String expected = host.toLowerCase(Locale.ROOT);
      for (String standard : new String[] {":80", ":443"}) {
        if (expected.endsWith(standard)) {
          expected = expected.substring(0, expected.length() - standard.length());
        }
      }
      authority = authority.toLowerCase(Locale.ROOT);
      return authority.equals(host.toLowerCase(Locale.ROOT)) || authority.equals(expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String origin(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (IllegalArgumentException e) {
      return "an unreadable origin";
    }
  }
}
