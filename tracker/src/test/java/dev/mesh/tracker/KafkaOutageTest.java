package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Setting;
import dev.mesh.embedded.EmbeddedKafka;
import dev.mesh.testing.Poll;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka away: the pixel keeps answering at once, the publisher keeps what its bounded buffer holds,
 * counts what it had to drop, and every buffered hit reaches Kafka once the broker is back. A
 * broker of its own, so that it can be stopped and started.
 */
class KafkaOutageTest {

  private static final int BUFFER = 20;
  private static EmbeddedKafka kafka;
  private static TrackerUnderTest tracker;

  @BeforeAll
  static void start() throws Exception {
    // its address is known, but nothing listens there yet
    kafka =
        EmbeddedKafka.create(
            Files.createTempDirectory("mesh-outage"), 0, SharedInfrastructure.SMALL_BROKER);
    tracker =
        TrackerUnderTest.start(
            kafka.bootstrapServers(),
            config ->
                config
                    .with(Setting.TRACKER_BUFFER_HITS, BUFFER)
                    .with(Setting.KAFKA_TIMEOUT_MILLIS, 1500),
            List.of(HitPublisherVerticle::new, CollectorVerticle::new));
  }

  @AfterAll
  static void stop() {
    tracker.close();
    kafka.close();
  }

  @Test
  void hitsWaitForKafkaInABoundedBufferAndArriveWhenItIsBack() {
    // Kafka unreachable from the start: 30 hits, 20 kept, 10 dropped and counted, every pixel
    // answered
    List<HttpResponse<Buffer>> answers =
        IntStream.range(0, 30)
            .mapToObj(i -> tracker.pixel("s=outage.example&p=/before/" + i, "192.0.2." + i))
            .toList();
    assertThat(answers)
        .allSatisfy(
            answer -> {
              assertThat(answer.statusCode()).isEqualTo(200);
              assertThat(answer.body()).isEqualTo(CollectorVerticle.GIF);
            });
    Poll.until(TrackerUnderTest.WAIT, "10 hits dropped", () -> dropped() == 10);
    assertThat(tracker.gauge(TrackerMetrics.BUFFERED))
        .as("the buffer is bounded")
        .isEqualTo(BUFFER);
    assertThat(tracker.counter(TrackerMetrics.PUBLISHED)).isZero();

    kafka.restart();
    List<String> pages = pages(20);
    assertThat(pages)
        .as("exactly the buffered hits, the first 20")
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 20).mapToObj(i -> "/before/" + i).toList());
    Poll.until(
        TrackerUnderTest.WAIT,
        "the buffer emptied",
        () -> tracker.gauge(TrackerMetrics.BUFFERED) == 0);
    assertThat(tracker.counter(TrackerMetrics.PUBLISHED)).isEqualTo(20);

    // Kafka stops while the site has visitors: they are answered, and their hits arrive after the
    // restart
    kafka.stop();
    IntStream.range(0, 5)
        .forEach(
            i ->
                assertThat(
                        tracker
                            .pixel("s=outage.example&p=/during/" + i, "198.51.100." + i)
                            .statusCode())
                    .isEqualTo(200));
    kafka.restart();
    Set<String> after = Set.copyOf(pages(25));
    assertThat(after)
        .containsAll(
            IntStream.range(0, 5).mapToObj(i -> "/during/" + i).collect(Collectors.toSet()));
    assertThat(dropped()).as("nothing more dropped: the buffer had room").isEqualTo(10);
  }

  private static List<String> pages(int count) {
    return Poll.until(
            TrackerUnderTest.WAIT,
            count + " hits in Kafka",
            () -> tracker.records(kafka.bootstrapServers()),
            r -> r.size() >= count)
        .stream()
        .map(r -> new JsonObject(r.value()).getString("page"))
        .toList();
  }

  private static double dropped() {
    return tracker.counter(TrackerMetrics.DROPPED, "reason", "buffer-full");
  }
}
