package dev.mesh.tracker;

import dev.mesh.embedded.EmbeddedDatabase;
import dev.mesh.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Kafka broker (KRaft, in this JVM) and one real PostgreSQL for the whole test run,
 * started by the first class that asks and stopped when the JVM exits. Classes stay apart by using
 * a topic and a database of their own.
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
  private static EmbeddedDatabase database;

  private SharedInfrastructure() {}

  static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start(folder(), 0, SMALL_BROKER);
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
    }
    return kafka;
  }

  /** A fresh database on the shared PostgreSQL, as {@code MESH_DATABASE_URL} names it. */
  static synchronized String newDatabase(String prefix) {
    if (database == null) {
      database = EmbeddedDatabase.start(folder());
      EmbeddedDatabase started = database;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      // the JVM is exiting anyway
                    }
                  },
                  "test-postgres-stop"));
    }
    try {
      return database.createDatabase(
          prefix + "_" + NAMES.incrementAndGet() + "_" + ProcessHandle.current().pid());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
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
