package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Contract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The fast path may only say "valid" where the schema does: checked on the documents the collector
 * writes and on thousands of mutations of them (fixed seed, so a failure is reproducible).
 */
class ContractFastPathTest {

  private static final Contract HIT = Contract.load(TrackerContracts.HIT);
  private static final Contract BEACON = Contract.load(TrackerContracts.BEACON);
  private static final int MUTANTS = 4000;

  /** Values a field may be mutated to: wrong types, empty, boundary lengths, astral characters. */
  private static final List<Object> ODD_VALUES =
      List.of(
          "",
          "/",
          "x",
          "/a b",
          "pageview",
          "pixel",
          "beacon",
          "1920x1080",
          "0123456789abcdef",
          "0123456789ABCDEF",
          "3f1c2a3e-8a1b-4c2d-9e3f-0123456789ab",
          "3f1c2a3e8a1b4c2d9e3f0123456789ab00000",
          "shop.example",
          "Shop.Example",
          "-shop",
          "/" + "p".repeat(511),
          "/" + "p".repeat(512),
          "r".repeat(253),
          "r".repeat(254),
          "n".repeat(100),
          "n".repeat(101),
          "\uD83D\uDE00".repeat(60),
          "\uD83D\uDE00".repeat(100),
          "\u0000",
          "12345x12345",
          "123456x1",
          0,
          1,
          -1,
          2,
          1.0,
          1.5,
          Long.MAX_VALUE,
          true,
          false,
          new JsonArray(),
          new JsonObject(),
          new JsonObject().put("k", "v"),
          new JsonObject().put("k", 1),
          new JsonObject().put("k".repeat(101), "v"),
          new JsonObject().put("k", "v".repeat(501)),
          new JsonObject().put("k", new JsonObject()));

  @Test
  void hitsTheCollectorWritesTakeTheFastPath() {
    for (JsonObject hit : hits(new Random(7), 200)) {
      assertThat(HIT.problems(hit)).as(hit.encode()).isEmpty();
      assertThat(ContractFastPath.isPlainHit(hit)).as(hit.encode()).isTrue();
    }
  }

  @Test
  void theFastPathNeverAcceptsAHitTheSchemaRefuses() {
    Random random = new Random(11);
    int refusedBySchema =
        mutateAndCompare(random, hits(random, 100), HIT, ContractFastPath::isPlainHit);
    assertThat(refusedBySchema).as("mutants that are not hits").isGreaterThan(MUTANTS / 3);
  }

  @Test
  void theFastPathNeverAcceptsABeaconTheSchemaRefuses() {
    Random random = new Random(13);
    List<JsonObject> beacons =
        List.of(
            new JsonObject()
                .put("site", "shop.example")
                .put("url", "https://shop.example/pricing?x=1"),
            new JsonObject()
                .put("site", "shop.example")
                .put("url", "/docs")
                .put("name", "download")
                .put("referrer", "https://search.example/")
                .put("screen", "1920x1080")
                .put(
                    "props",
                    new JsonObject().put("plan", "pro").put("seats", 3).put("trial", true)));
    beacons.forEach(b -> assertThat(ContractFastPath.isPlainBeacon(b)).as(b.encode()).isTrue());
    int refusedBySchema =
        mutateAndCompare(random, beacons, BEACON, ContractFastPath::isPlainBeacon);
    assertThat(refusedBySchema).as("mutants that are not beacons").isGreaterThan(MUTANTS / 4);
  }

  /**
   * Mutates one to three fields of the documents at a time; returns how many mutants the schema
   * refused.
   */
  private static int mutateAndCompare(
      Random random,
      List<JsonObject> documents,
      Contract contract,
      Predicate<JsonObject> fastPath) {
    List<String> fields =
        List.of(
            "v",
            "id",
            "ts",
            "site",
            "name",
            "page",
            "url",
            "referrer",
            "visitor",
            "screen",
            "source",
            "props",
            "extra");
    int refused = 0;
    for (int i = 0; i < MUTANTS; i++) {
      JsonObject mutant = documents.get(random.nextInt(documents.size())).copy();
      for (int m = random.nextInt(3); m >= 0; m--) {
        String field = fields.get(random.nextInt(fields.size()));
        switch (random.nextInt(3)) {
          case 0 -> mutant.remove(field);
          case 1 -> mutant.putNull(field);
          default -> mutant.put(field, ODD_VALUES.get(random.nextInt(ODD_VALUES.size())));
        }
      }
      boolean valid = contract.problems(mutant).isEmpty();
      if (!valid) {
        refused++;
        assertThat(fastPath.test(mutant))
            .as("accepted by the fast path only: " + mutant.encode())
            .isFalse();
      }
    }
    return refused;
  }

  /** Hits as the collector makes them, from varied pixel requests and beacons. */
  private static List<JsonObject> hits(Random random, int count) {
    java.time.Clock noon =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-21T12:00:00Z"), java.time.ZoneOffset.UTC);
    Salts salts = new Salts(null, noon);
    salts.use(java.time.LocalDate.of(2026, 11, 21), new byte[32]);
    Collector collector = new Collector(new Sites(List.of()), salts, false, noon);
    String browser =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(
            i -> {
              Collector.Client client =
                  new Collector.Client(
                      "192.0.2." + random.nextInt(255),
                      browser,
                      null,
                      random.nextBoolean() ? "https://shop.example/from-referer" : null);
              Collector.Result result =
                  i % 2 == 0
                      ? collector.pixel(
                          io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                              .add("s", "shop.example")
                              .add("p", "/p" + random.nextInt(50) + "?q=" + random.nextInt())
                              .add("r", "https://r" + random.nextInt(9) + ".example/")
                              .add("sc", random.nextBoolean() ? "1280x720" : "bad"),
                          client)
                      : collector.beacon(
                          new JsonObject()
                              .put("site", "shop.example")
                              .put("url", "/e" + random.nextInt(9))
                              .put("name", random.nextBoolean() ? "pageview" : "signup")
                              .put(
                                  "props",
                                  new JsonObject()
                                      .put("plan", "p" + random.nextInt(3))
                                      .put("n", random.nextInt(100))),
                          client);
              assertThat(result.outcome()).isEqualTo(Collector.Outcome.ACCEPTED);
              return result.hit().toJsonObject();
            })
        .toList();
  }
}
