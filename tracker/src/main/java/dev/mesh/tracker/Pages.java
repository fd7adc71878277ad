package dev.mesh.tracker;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What is kept of the URLs a hit carries: the page's path (no query string, no fragment, as
 * Plausible keeps it) and, of the referrer, its host. Parsed by hand, leniently: input comes from
 * anyone and a URL that does not parse must never fail a request.
 */
final class Pages {

  static final int MAX_PATH = 512;
  static final int MAX_SOURCE = 253;

  private Pages() {}

  /** A URL's parts we use; {@code host} is empty for a bare path. */
  record Url(String host, String path, String query) {}

  /**
   * Parses {@code https://host:port/path?query#fragment} or {@code /path?query}; null when it is
   * neither.
   */
  static Url parse(String raw) {
    if (raw == null) {
      return null;
    }
    String url = raw.trim();
    int hash = url.indexOf('#');
    if (hash >= 0) {
      url = url.substring(0, hash);
    }
    String host = "";
    String rest;
    if (url.startsWith("/") && !url.startsWith("//")) {
      rest = url;
    } else {
      int scheme = url.indexOf("://");
      String lower = url.toLowerCase(Locale.ROOT);
      if (scheme < 0 || !(lower.startsWith("http://") || lower.startsWith("https://"))) {
        return null;
      }
      String afterScheme = url.substring(scheme + 3);
      int end = firstOf(afterScheme, "/?");
      String authority = end < 0 ? afterScheme : afterScheme.substring(0, end);
      rest = end < 0 ? "/" : afterScheme.substring(end);
      host = hostOf(authority);
      if (host.isEmpty()) {
        return null;
      }
    }
    int question = rest.indexOf('?');
    String path = question < 0 ? rest : rest.substring(0, question);
    String query = question < 0 ? "" : rest.substring(question + 1);
    if (path.isEmpty()) {
      path = "/";
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    return new Url(host, clean(path, MAX_PATH), query);
  }

  /**
   * The host of an authority ({@code user@host:port}), lower case, without a leading {@code www.}.
   */
  private static String hostOf(String authority) {
    String host = authority;
    int at = host.lastIndexOf('@');
    if (at >= 0) {
      host = host.substring(at + 1);
    }
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      host = close < 0 ? "" : host.substring(0, close + 1);
    } else {
      int colon = host.indexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("www.")) {
      host = host.substring(4);
    }
    return clean(host, MAX_SOURCE);
  }

  /**
   * Where a visitor came from: a {@code utm_source}, {@code source} or {@code ref} parameter of the
   * page's URL wins (campaign links name their source, as Plausible reads them); else the
   * referrer's host, unless it is the site itself (a move between its own pages); else empty (a
   * direct visit).
   */
  static String source(Url page, String referrer) {
    if (page != null && !page.query().isEmpty()) {
      for (String pair : page.query().split("&")) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        if ((name.equals("utm_source") || name.equals("source") || name.equals("ref"))
            && equals >= 0) {
          String value =
              clean(decode(pair.substring(equals + 1)).toLowerCase(Locale.ROOT), MAX_SOURCE);
          if (!value.isBlank()) {
            return value;
          }
        }
      }
    }
    Url from = parse(referrer);
    if (from == null || from.host().isEmpty()) {
      return "";
    }
    if (page != null && from.host().equals(page.host())) {
      return "";
    }
    return from.host();
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  /** No control characters, at most {@code max} characters. */
  static String clean(String value, int max) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), max));
    for (int i = 0; i < value.length() && out.length() < max; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        out.append(c);
      }
    }
    return out.toString().trim();
  }

  private static int firstOf(String value, String chars) {
    for (int i = 0; i < value.length(); i++) {
      if (chars.indexOf(value.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
