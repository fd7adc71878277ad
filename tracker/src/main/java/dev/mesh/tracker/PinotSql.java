package dev.mesh.tracker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Pinot SQL statement from a fixed template whose {@code ?} placeholders are filled with typed
 * values, rendered as literals: strings single-quoted with quotes doubled (Pinot parses SQL with
 * Calcite, whose standard string literals have no other escape, so a backslash, a newline or any
 * Unicode character is just itself), numbers and instants (as epoch milliseconds) as integers. User
 * input never becomes SQL text any other way: the broker's SQL endpoint in 0.11 has no bound
 * parameters.
 *
 * <p>The template is code, never input; the only other text in it is the table name, an identifier
 * from the configuration, checked by {@link #table(String)}.
 */
final class PinotSql {

  /** What Pinot accepts unquoted as a table name, and all a configured name may be. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final String template;
  private final List<String> literals = new ArrayList<>();

  private PinotSql(String template) {
    this.template = template;
  }

  static PinotSql of(String template) {
    return new PinotSql(template);
  }

  /** The configured table name, or an exception naming the setting's problem. */
  static String table(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A Pinot table name is a letter or '_' followed by letters, digits or '_', got '"
              + name
              + "'");
    }
    return name;
  }

  PinotSql string(String value) {
    if (value == null) {
      throw new IllegalArgumentException("A string placeholder needs a value");
    }
    literals.add("'" + value.replace("'", "''") + "'");
    return this;
  }

  PinotSql number(long value) {
    literals.add(Long.toString(value));
    return this;
  }

  PinotSql millis(Instant value) {
    return number(value.toEpochMilli());
  }

  /**
   * The statement with every placeholder filled; refuses a count of values that does not fit the
   * template.
   */
  String render() {
    StringBuilder sql = new StringBuilder(template.length() + 64);
    int next = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '?') {
        if (next == literals.size()) {
          throw new IllegalStateException("More placeholders than values in: " + template);
        }
        sql.append(literals.get(next++));
      } else {
        sql.append(c);
      }
    }
    if (next != literals.size()) {
      throw new IllegalStateException(
          literals.size() + " values for " + next + " placeholders in: " + template);
    }
    return sql.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
