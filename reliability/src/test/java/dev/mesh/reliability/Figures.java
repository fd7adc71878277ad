package dev.mesh.reliability;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * Figures measured while the suite runs (heap after a flood, how long a dead member's widgets took
 * to expire), for docs/reliability.md: printed, and appended to {@code
 * target/reliability-figures.jsonl}. Never asserted: timings belong in the docs, not in pass or
 * fail.
 */
final class Figures {

  private Figures() {}

  static void write(String name, Map<String, ?> values) {
    JsonObject line = new JsonObject().put("figure", name).put("at", Instant.now().toString());
    values.forEach(line::put);
    System.out.println("[figure] " + line.encode());
    try {
      Files.writeString(
          Path.of("target", "reliability-figures.jsonl"),
          line.encode() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
