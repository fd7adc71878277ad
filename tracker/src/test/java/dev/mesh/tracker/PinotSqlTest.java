package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Values reach Pinot's SQL only as literals: whatever a page, site or referrer holds, it stays one
 * string literal (Calcite's standard literals: a quote is doubled, nothing else is special).
 */
class PinotSqlTest {

  private static String where(String value) {
    return PinotSql.of("SELECT COUNT(*) FROM hits WHERE page = ?").string(value).render();
  }

  @Test
  void quotesAreDoubledSoAValueCannotCloseItsLiteral() {
    assertThat(where("/o'brien")).isEqualTo("SELECT COUNT(*) FROM hits WHERE page = '/o''brien'");
    assertThat(where("x' OR '1'='1"))
        .isEqualTo("SELECT COUNT(*) FROM hits WHERE page = 'x'' OR ''1''=''1'");
    assertThat(where("'; DROP TABLE hits; --"))
        .isEqualTo("SELECT COUNT(*) FROM hits WHERE page = '''; DROP TABLE hits; --'");
    assertThat(where("''")).isEqualTo("SELECT COUNT(*) FROM hits WHERE page = ''''''");
  }

  @Test
  void backslashesNewlinesAndUnicodeAreThemselves() {
    assertThat(where("a\\' OR 1=1 --"))
        .isEqualTo("SELECT COUNT(*) FROM hits WHERE page = 'a\\'' OR 1=1 --'");
    assertThat(where("\\")).isEqualTo("SELECT COUNT(*) FROM hits WHERE page = '\\'");
    assertThat(where("/a\n' OR 1=1\r\n--"))
        .isEqualTo("SELECT COUNT(*) FROM hits WHERE page = '/a\n'' OR 1=1\r\n--'");
    assertThat(where("/café/日本/😀\u2028\u0000"))
        .isEqualTo("SELECT COUNT(*) FROM hits WHERE page = '/café/日本/😀\u2028\u0000'");
  }

  @Test
  void aQuestionMarkInAValueIsNotAPlaceholder() {
    assertThat(
            PinotSql.of("SELECT 1 FROM hits WHERE page = ? AND site = ?")
                .string("/?a=1")
                .string("s")
                .render())
        .isEqualTo("SELECT 1 FROM hits WHERE page = '/?a=1' AND site = 's'");
  }

  @Test
  void numbersAndInstantsAreIntegers() {
    assertThat(
            PinotSql.of("SELECT 1 FROM hits WHERE ts >= ? LIMIT ?")
                .millis(Instant.parse("2026-11-21T10:00:00.123Z"))
                .number(-5)
                .render())
        .isEqualTo("SELECT 1 FROM hits WHERE ts >= 1795255200123 LIMIT -5");
  }

  @Test
  void valuesMustFitThePlaceholders() {
    assertThatThrownBy(() -> PinotSql.of("SELECT ? FROM hits").render())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> PinotSql.of("SELECT 1 FROM hits").string("x").render())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> PinotSql.of("SELECT ? FROM hits").string(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTableNameIsAnIdentifierOrRefused() {
    assertThat(PinotSql.table("mesh_hits")).isEqualTo("mesh_hits");
    for (String bad :
        new String[] {"", "1hits", "hits;", "hits x", "hits'", "\"hits\"", "hits-2", null}) {
      assertThatThrownBy(() -> PinotSql.table(bad))
          .as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
