package dev.mesh.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Hostile inputs grown from a valid one: a request body the contract accepts, mutated the way
 * broken clients and attackers do (keys removed, values of the wrong type, huge, nested, HTML, SQL,
 * control characters; the text cut, bytes flipped, other documents altogether). Randomness comes
 * from jqwik, so a property's seed reproduces every input.
 */
final class Mutations {

  /** A body as sent: bytes (not always UTF-8 or JSON) and a short description for the report. */
  record Fuzzed(byte[] body, String description) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static final List<String> STRINGS =
      List.of(
          "",
          " ",
          "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>",
          "'; DROP TABLE layouts; --",
          "\u0000",
          "\u202e\u0007\u001b[31m",
          "😀🧨",
          "../../../../etc/passwd",
          "%00%2e%2e%2f",
          "${jndi:ldap://x/a}",
          "null",
          "true",
          "-1",
          "1e309",
          "NaN",
          "{\"a\":1}",
          "mesh.session.x",
          "vertx.discovery.announce",
          "\\u0000",
          "A".repeat(101),
          "a".repeat(2001));

  private Mutations() {}

  /**
   * Mutations of {@code seed}, 1 to 4 changes each, sometimes with the encoded text corrupted too.
   */
  static Arbitrary<Fuzzed> of(JsonObject seed) {
    return Arbitraries.randomValue(random -> mutate(seed, random));
  }

  static Fuzzed mutate(JsonObject seed, Random random) {
    int shape = random.nextInt(100);
    if (shape < 2) {
      // nesting deeper than any parser should follow, written as text (encoding it would recurse
      // here)
      int depth = 2000 + random.nextInt(8000);
      return new Fuzzed(
          ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8),
          "nested " + depth + " deep");
    }
    if (shape < 5) {
      Object other = hostileValue(random, 0);
      return new Fuzzed(encode(other), "another document: " + brief(other));
    }
    JsonObject copy = seed.copy();
    StringBuilder what = new StringBuilder();
    int changes = 1 + random.nextInt(4);
    for (int i = 0; i < changes; i++) {
      what.append(change(copy, random)).append("; ");
    }
    byte[] body = copy.encode().getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(100) < 15) {
      String before = what.toString();
      body = corrupt(body, random, what);
      if (what.length() == before.length()) {
        what.append("text corrupted");
      }
    }
    return new Fuzzed(body, what.toString());
  }

  /** One change at a random place of the document. */
  private static String change(JsonObject document, Random random) {
    List<Object[]> places = new ArrayList<>();
    collect(document, "", places);
    Object[] place = places.get(random.nextInt(places.size()));
    Object container = place[0];
    String path = (String) place[2];
    int kind = random.nextInt(3);
    if (container instanceof JsonObject object) {
      String key = (String) place[1];
      if (kind == 0 && key != null) {
        object.remove(key);
        return "removed " + path;
      }
      if (kind == 1 || key == null) {
        String added =
            random.nextBoolean()
                ? "extra" + random.nextInt(10)
                : STRINGS.get(random.nextInt(STRINGS.size()));
        Object value = hostileValue(random, 0);
        object.put(added, value);
        return "added " + path + "/" + brief(added) + "=" + brief(value);
      }
      Object value = hostileValue(random, 0);
      object.put(key, value);
      return path + "=" + brief(value);
    }
    JsonArray array = (JsonArray) container;
    Object value = hostileValue(random, 0);
    if (kind == 0 && !array.isEmpty()) {
      array.remove(random.nextInt(array.size()));
      return "removed an item of " + path;
    }
    array.add(value);
    return "appended to " + path + ": " + brief(value);
  }

  /** Every object key and array of the document (the document itself included, key null). */
  private static void collect(Object node, String path, List<Object[]> places) {
    if (node instanceof JsonObject object) {
      places.add(new Object[] {object, null, path.isEmpty() ? "/" : path});
      for (Map.Entry<String, Object> entry : object) {
        places.add(new Object[] {object, entry.getKey(), path + "/" + entry.getKey()});
        collect(entry.getValue(), path + "/" + entry.getKey(), places);
      }
    } else if (node instanceof JsonArray array) {
      places.add(new Object[] {array, null, path + "[]"});
      for (int i = 0; i < array.size(); i++) {
        collect(array.getValue(i), path + "[" + i + "]", places);
      }
    }
  }

  /** A value of any JSON type, chosen to break code that trusts its input. */
  static Object hostileValue(Random random, int depth) {
    int pick = random.nextInt(100);
    if (pick < 30) {
      return STRINGS.get(random.nextInt(STRINGS.size()));
    }
    if (pick < 45) {
      return randomText(random, random.nextInt(40));
    }
    if (pick < 47) {
      // beyond every size limit of the API (64 KiB manifests, 256 KiB layouts)
      return "x".repeat(70_000 + random.nextInt(250_000));
    }
    if (pick < 60) {
      long[] numbers = {
        0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE
      };
      return numbers[random.nextInt(numbers.length)];
    }
    if (pick < 65) {
      double[] numbers = {0.5, -0.0, 1e308, -1e-308, 3.14};
      return numbers[random.nextInt(numbers.length)];
    }
    if (pick < 72) {
      return random.nextBoolean();
    }
    if (pick < 78) {
      return null;
    }
    if (pick < 80) {
      // nested, but within what the client's encoder follows
      return new JsonArray()
          .add(
              new JsonArray().add(new JsonArray().add(new JsonObject().put("a", new JsonArray()))));
    }
    if (pick < 90 && depth < 3) {
      JsonArray array = new JsonArray();
      int size = random.nextInt(4);
      for (int i = 0; i < size; i++) {
        array.add(hostileValue(random, depth + 1));
      }
      return array;
    }
    if (depth < 3) {
      JsonObject object = new JsonObject();
      int size = random.nextInt(4);
      for (int i = 0; i < size; i++) {
        object.put(randomText(random, 1 + random.nextInt(8)), hostileValue(random, depth + 1));
      }
      return object;
    }
    return "leaf";
  }

  /** Text from every corner of Unicode, controls and lone surrogates included. */
  static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 5) {
        text.append((char) ('a' + random.nextInt(26)));
      } else if (kind < 7) {
        text.append("<>\"'&\\/%.{}[]$#".charAt(random.nextInt(15)));
      } else if (kind < 8) {
        text.append((char) random.nextInt(0x20));
      } else if (kind < 9) {
        text.appendCodePoint(0x80 + random.nextInt(0x10FFFF - 0x80));
      } else {
        text.append((char) (0xD800 + random.nextInt(0x800)));
      }
    }
    return text.toString();
  }

  /**
   * The encoded text broken: cut short, a byte flipped, garbage before or after, or bytes not
   * UTF-8.
   */
  private static byte[] corrupt(byte[] body, Random random, StringBuilder what) {
    int kind = random.nextInt(5);
    switch (kind) {
      case 0 -> {
        what.append("cut short");
        return java.util.Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
      }
      case 1 -> {
        byte[] copy = body.clone();
        if (copy.length > 0) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        what.append("a byte flipped");
        return copy;
      }
      case 2 -> {
        what.append("garbage after");
        return (new String(body, StandardCharsets.UTF_8) + "}]\"x")
            .getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> {
        what.append("invalid UTF-8 inside");
        byte[] copy = java.util.Arrays.copyOf(body, body.length + 2);
        copy[copy.length - 2] = (byte) 0xC3;
        copy[copy.length - 1] = (byte) 0x28;
        return copy;
      }
      default -> {
        what.append("a byte-order mark before");
        byte[] copy = new byte[body.length + 3];
        copy[0] = (byte) 0xEF;
        copy[1] = (byte) 0xBB;
        copy[2] = (byte) 0xBF;
        System.arraycopy(body, 0, copy, 3, body.length);
        return copy;
      }
    }
  }

  private static byte[] encode(Object value) {
    String text =
        value instanceof JsonObject o
            ? o.encode()
            : value instanceof JsonArray a
                ? a.encode()
                : value instanceof String s
                    ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                    : String.valueOf(value);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String brief(Object value) {
    String text = String.valueOf(value instanceof JsonArray a ? a.encode() : value);
    return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + " chars)" : text;
  }
}
