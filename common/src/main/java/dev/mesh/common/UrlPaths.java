package dev.mesh.common;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of URL paths. {@link URLEncoder} and {@link URLDecoder} speak HTML forms, where
 * '+' is a space; in a path it is a plus, so both directions correct for that here, once.
 */
public final class UrlPaths {

  private UrlPaths() {}

  /** One path segment, ready to put between slashes. */
  public static String encodeSegment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A relative path, each segment encoded and the slashes kept. */
  public static String encodePath(String path) {
    StringBuilder encoded = new StringBuilder();
    for (String segment : path.split("/")) {
      encoded.append(encoded.length() == 0 ? "" : "/").append(encodeSegment(segment));
    }
    return encoded.toString();
  }

  /** The decoded path or segment; a malformed escape is left as it came, to be found by nothing. */
  public static String decode(String path) {
    try {
      return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return path;
    }
  }
}
