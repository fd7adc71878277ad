package dev.mesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table lists exactly the settings the code reads, with their defaults.
 */
class ReadmeConfigurationTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `(MESH_[A-Z0-9_]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

  @Test
  void tableMatchesTheSettings() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher rows = ROW.matcher(readme);
    java.util.Map<String, String> documented = new java.util.HashMap<>();
    while (rows.find()) {
      documented.put(rows.group(1), rows.group(2).trim());
    }
    Set<String> keys =
        Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());
    assertThat(documented.keySet()).as("README rows").isEqualTo(keys);
    for (Setting setting : Setting.values()) {
      String expected =
          setting.defaultValue().isEmpty() ? "(empty)" : "`" + setting.defaultValue() + "`";
      assertThat(documented.get(setting.key()))
          .as("default of " + setting.key())
          .isEqualTo(expected);
    }
  }
}
