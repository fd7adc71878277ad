package dev.mesh.tracker;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Typed checks that say "certainly valid" for the documents the tracker handles on every request
 * and every record: hits (the topic) and beacons. They accept only what the JSON Schemas under
 * {@code contracts/} accept (ContractFastPathTest checks this on generated documents), so a
 * document they pass needs no schema validation; anything else is handed to the schema, which
 * decides and names the problem. Why: vertx-json-schema 5.0.7 spends tens of microseconds per
 * document (eclipse-vertx/vertx-json-schema#121), more than the collector's whole work for a hit.
 */
final class ContractFastPath {

  private static final Set<String> HIT_FIELDS =
      Set.of(
          "v",
          "id",
          "ts",
          "site",
          "name",
          "page",
          "referrer",
          "visitor",
          "screen",
          "source",
          "props");

  private ContractFastPath() {}

  /** True only for a hit that tracker-hit.schema.json accepts. */
  static boolean isPlainHit(JsonObject hit) {
    for (String field : hit.fieldNames()) {
      if (!HIT_FIELDS.contains(field)) {
        return false;
      }
    }
    Object props = hit.getValue("props");
    Object screen = hit.getValue("screen");
    return isInteger(hit.getValue("v"), 1, 1)
        && isUuid(hit.getValue("id"))
        && isInteger(hit.getValue("ts"), 0, Long.MAX_VALUE)
        && hit.getValue("site") instanceof String site
        && Sites.ID.matcher(site).matches()
        && hit.getValue("name") instanceof String name
        && fits(name, 1, Collector.MAX_NAME)
        && hit.getValue("page") instanceof String page
        && page.startsWith("/")
        && page.length() <= 512
        && hit.getValue("referrer") instanceof String referrer
        && referrer.length() <= 253
        && isHex(hit.getValue("visitor"), 16)
        && (screen == null && !hit.containsKey("screen")
            || screen instanceof String s && isScreen(s))
        && ("pixel".equals(hit.getValue("source")) || "beacon".equals(hit.getValue("source")))
        && (props == null && !hit.containsKey("props")
            || props instanceof JsonObject p && arePlainProps(p, true));
  }

  /** True only for a beacon that tracker-beacon.schema.json accepts. */
  static boolean isPlainBeacon(JsonObject beacon) {
    Object name = beacon.getValue("name");
    Object referrer = beacon.getValue("referrer");
    Object screen = beacon.getValue("screen");
    Object props = beacon.getValue("props");
    return beacon.getValue("site") instanceof String site
        && fits(site, 1, 100)
        && beacon.getValue("url") instanceof String url
        && fits(url, 1, 2000)
        && (name == null && !beacon.containsKey("name")
            || name instanceof String n && fits(n, 1, Collector.MAX_NAME))
        && (referrer == null && !beacon.containsKey("referrer")
            || referrer instanceof String r && r.length() <= 2000)
        && (screen == null && !beacon.containsKey("screen")
            || screen instanceof String s && s.length() <= 11)
        && (props == null && !beacon.containsKey("props")
            || props instanceof JsonObject p && arePlainProps(p, false));
  }

  /**
   * Lengths in UTF-16 units: never fewer than the code points the schema counts, so within bounds
   * is within bounds.
   */
  private static boolean fits(String value, int min, int max) {
    return value.length() >= min && value.length() <= max;
  }

  private static boolean isInteger(Object value, long min, long max) {
    return (value instanceof Integer || value instanceof Long)
        && ((Number) value).longValue() >= min
        && ((Number) value).longValue() <= max;
  }

  private static boolean isUuid(Object value) {
    if (!(value instanceof String id) || id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(Object value, int length) {
    if (!(value instanceof String hex) || hex.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isScreen(String screen) {
    return screen.isEmpty() || Collector.SCREEN.matcher(screen).matches();
  }

  /**
   * A hit's props are strings of at most 500 characters; a beacon's may also be numbers and
   * booleans.
   */
  private static boolean arePlainProps(JsonObject props, boolean ofHit) {
    if (props.size() > Collector.MAX_PROPS) {
      return false;
    }
    for (Map.Entry<String, Object> entry : props) {
      Object value = entry.getValue();
      boolean plain =
          ofHit
              ? value instanceof String s && s.length() <= Collector.MAX_PROP_VALUE
              : value instanceof String || value instanceof Number || value instanceof Boolean;
      if (entry.getKey().length() > Collector.MAX_NAME || !plain) {
        return false;
      }
    }
    return true;
  }
}
