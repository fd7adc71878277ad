package dev.mesh.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} arguments (a name may repeat), with defaults; durations as 500ms, 10s, 2m.
 */
final class Args {

  private final Map<String, List<String>> values = new HashMap<>();

  Args(String[] args) {
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      values.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[i + 1]);
    }
  }

  String string(String name, String fallback) {
    List<String> v = values.get(name);
    if (v == null) {
      if (fallback == null) {
        throw new IllegalArgumentException("missing --" + name);
      }
      return fallback;
    }
    return v.get(v.size() - 1);
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(string(name, Integer.toString(fallback)));
  }

  double decimal(String name, double fallback) {
    return Double.parseDouble(string(name, Double.toString(fallback)));
  }

  Duration duration(String name, String fallback) {
    return parse(string(name, fallback));
  }

  static Duration parse(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      default -> throw new IllegalArgumentException("a duration is like 500ms, 10s or 2m: " + text);
    };
  }
}
