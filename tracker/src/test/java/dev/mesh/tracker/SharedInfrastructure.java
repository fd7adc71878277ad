package dev.mesh.tracker;

import dev.mesh.embedded.EmbeddedKafka;
import dev.mesh.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Kafka broker (KRaft, in this JVM) for the whole test run, started by the first class
 * that asks and stopped when the JVM exits. Classes stay apart by using a topic of their own (and a
 * database of their own on the test kit's shared PostgreSQL, {@link TestPostgres}).
 */
final class SharedInfrastructure {

  /** Small segments and one partition by default: tests write little and the machine is shared. */
  static final Map<String, String> SMALL_BROKER =
      Map.of(
          "num.partitions",
          "1",
          "log.segment.bytes",
          String.valueOf(1024 * 1024),
          "log.flush.interval.messages",
          "1000000",
          "socket.request.max.bytes",
          String.valueOf(8 * 1024 * 1024));

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static Path folder;
  private static EmbeddedKafka kafka;

  private SharedInfrastructure() {}

  static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start(folder(), 0, SMALL_BROKER);
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
    }
    return kafka;
  }

  /** A name no other test class uses (topics, sites). */
  static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  }

  static synchronized Path folder() {
    if (folder == null) {
      try {
        folder = Files.createTempDirectory("mesh-tracker-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return folder;
  }
}
