package dev.mesh.tracker;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which site ids the collector takes: the ones in {@code MESH_TRACKER_SITES}, or, when that is
 * empty, any id of the documented shape (a host name such as {@code shop.example} fits).
 */
final class Sites {

  static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,99}$");

  private final Set<String> allowed;

  Sites(List<String> allowList) {
    this.allowed = Set.copyOf(allowList.stream().map(Sites::normalize).toList());
    for (String site : allowed) {
      if (!ID.matcher(site).matches()) {
        throw new IllegalArgumentException(
            "MESH_TRACKER_SITES holds '"
                + site
                + "', which is not a site id (1 to 100 lower-case letters, digits, '.', '-' or '_')");
      }
    }
  }

  /** Site ids are host-like, so any case is the same site. */
  static String normalize(String site) {
    return site == null ? "" : site.trim().toLowerCase(Locale.ROOT);
  }

  /** Why a (normalized) site id is refused, or null when it is accepted. */
  String problem(String site) {
    if (site.isEmpty()) {
      return "no site id: name the site";
    }
    if (!ID.matcher(site).matches()) {
      return "'"
          + shorten(site)
          + "' is not a site id: use 1 to 100 lower-case letters, digits, '.', '-' or '_'";
    }
    if (!allowed.isEmpty() && !allowed.contains(site)) {
      return "unknown site '"
          + site
          + "': this tracker only accepts "
          + String.join(", ", allowed.stream().sorted().toList());
    }
    return null;
  }

  static String shorten(String value) {
    return value.length() > 60 ? value.substring(0, 60) + "..." : value;
  }
}
