package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unique visitors without cookies: one visitor per site, IP address and user agent for a UTC day, a
 * new identity the next day, the same one after a restart the same day; yesterday's salt is gone.
 */
class VisitorSaltTest {

  private static final Instant LATE = Instant.parse("2031-03-14T23:58:00Z");
  private static final MutableClock CLOCK = new MutableClock(LATE);
  private static TrackerUnderTest tracker;
  private static CollectorVerticle collector;
  private static String deployment;
  private static Pool database;

  @BeforeAll
  static void start() {
    tracker = TrackerUnderTest.start(config -> config, List.of(HitPublisherVerticle::new));
    collector = new CollectorVerticle(CLOCK);
    deployment = tracker.deploy(collector, tracker.config());
    database = tracker.database();
  }

  @AfterAll
  static void stop() {
    tracker.close();
  }

  @Test
  void aVisitorIsOneHashPerSiteAndDayAndKeepsItAcrossARestart() {
    CLOCK.set(LATE);
    TestCluster.await(collector.refreshSalts());
    String site = "salty.example";
    String alice = visitor(site, "/1", "203.0.113.20", TrackerUnderTest.BROWSER);
    assertThat(visitor(site, "/2", "203.0.113.20", TrackerUnderTest.BROWSER))
        .as("same day, same visitor")
        .isEqualTo(alice);
    assertThat(visitor(site, "/3", "203.0.113.21", TrackerUnderTest.BROWSER))
        .as("another IP")
        .isNotEqualTo(alice);
    assertThat(visitor(site, "/4", "203.0.113.20", TrackerUnderTest.BROWSER.replace("131", "130")))
        .as("another browser")
        .isNotEqualTo(alice);
    assertThat(visitor("pepper.example", "/5", "203.0.113.20", TrackerUnderTest.BROWSER))
        .as("another site")
        .isNotEqualTo(alice);

    // the collector restarts the same day: the stored salt hashes Alice as before
    tracker.undeploy(deployment);
    collector = new CollectorVerticle(CLOCK);
    deployment = tracker.deploy(collector, tracker.config());
    assertThat(visitor(site, "/6", "203.0.113.20", TrackerUnderTest.BROWSER))
        .as("after a restart the same day")
        .isEqualTo(alice);

    // past midnight (UTC) Alice is someone new: days cannot be linked
    CLOCK.advance(Duration.ofMinutes(3));
    String aliceTomorrow = visitor(site, "/7", "203.0.113.20", TrackerUnderTest.BROWSER);
    assertThat(aliceTomorrow).isNotEqualTo(alice);
    assertThat(visitor(site, "/8", "203.0.113.20", TrackerUnderTest.BROWSER))
        .isEqualTo(aliceTomorrow);
  }

  @Test
  void onlyTodaysAndTomorrowsSaltsAreKept() {
    CLOCK.set(LATE.plus(Duration.ofDays(3)));
    TestCluster.await(collector.refreshSalts());
    LocalDate today = LocalDate.of(2031, 3, 17);
    assertThat(salts())
        .as("older salts deleted, so past days' hashes can never be recomputed")
        .containsExactly(today, today.plusDays(1));
  }

  private static List<LocalDate> salts() {
    List<LocalDate> days = new ArrayList<>();
    for (Row row :
        TestCluster.await(database.query("SELECT day FROM tracker.salts ORDER BY day").execute())) {
      days.add(row.getLocalDate("day"));
    }
    return days;
  }

  /** Sends a pixel hit for a page no other test uses, and reads its visitor hash from Kafka. */
  private static String visitor(String site, String page, String ip, String userAgent) {
    tracker.pixel("s=" + site + "&p=" + page, TrackerUnderTest.headers(userAgent, ip));
    return Poll.until(
        TrackerUnderTest.WAIT,
        "the hit of " + site + page + " in Kafka",
        () ->
            tracker.records().stream()
                .map(r -> new JsonObject(r.value()))
                .filter(h -> h.getString("site").equals(site) && h.getString("page").equals(page))
                .map(h -> h.getString("visitor"))
                .findFirst()
                .orElse(null),
        v -> v != null);
  }
}
