package dev.mesh.bench;

import dev.mesh.embedded.EmbeddedDatabase;
import dev.mesh.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A Kafka broker and a PostgreSQL for a service under benchmark, in a process of their own so that
 * their CPU is not counted as the service's. Prints {@code MESH_KAFKA_BOOTSTRAP=...} and {@code
 * MESH_DATABASE_URL=...} once both are up; stops them on SIGTERM.
 *
 * <pre>
 * java -cp ... dev.mesh.bench.Infrastructure --data /tmp/x --kafka-port 18392
 * </pre>
 */
public final class Infrastructure {

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Path data = Path.of(args.string("data", Files.createTempDirectory("mesh-bench").toString()));
    int kafkaPort = args.integer("kafka-port", 18392);
    EmbeddedDatabase database = EmbeddedDatabase.start(data.resolve("postgres"));
    EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), kafkaPort, Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  try {
                    database.close();
                  } catch (java.io.IOException e) {
                    System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
                  }
                  stopped.countDown();
                }));
    System.out.println("MESH_KAFKA_BOOTSTRAP=" + kafka.bootstrapServers());
    System.out.println("MESH_DATABASE_URL=" + database.url());
    System.out.flush();
    stopped.await();
  }
}
