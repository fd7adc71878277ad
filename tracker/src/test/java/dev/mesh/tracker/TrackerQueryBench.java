package dev.mesh.tracker;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.testing.Poll;
import dev.mesh.testing.Ports;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Latency of the analytics widget's queries through the query API, from Pinot and from the
 * PostgreSQL projections, over the same generated hits: {@code bench/tracker-queries.sh [HITS]} (it
 * builds the classpaths and runs this main). Not a test: timings belong here, written down in
 * docs/benchmarks.md.
 *
 * <p>The hits are written straight to the topic, as the collector would write them (the Hit JSON
 * contract), for speed; both backends consume the same topic. Distributions (seeded, so every run
 * writes the same hits): times uniform over the {@value #DAYS} days before now; {@value #SITES}
 * sites by Zipf (s = 1, the busiest, {@code site0.example}, gets about a third); {@value #PAGES}
 * pages per site by Zipf (s = 1.1); {@value #VISITORS} visitors per site, uniform, hashed per UTC
 * day as the collector hashes them; 60 % direct visits, the rest from {@value #SOURCES} sources by
 * Zipf (s = 1); 5 % of the hits are custom events of five names.
 */
public final class TrackerQueryBench {

  static final int DAYS = 30;
  static final int SITES = 10;
  static final int PAGES = 500;
  static final int VISITORS = 20_000;
  static final int SOURCES = 50;
  private static int warmup = 10;
  private static int runs = 100;
  private static final String TABLE = "bench_hits";
  private static final String[] EVENTS = {"signup", "download", "play", "share", "purchase"};
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TrackerQueryBench() {}

  public static void main(String[] args) throws Exception {
    int hits = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    runs = args.length > 1 ? Integer.parseInt(args[1]) : runs;
    warmup = Math.max(1, runs / 10);
    long started = System.nanoTime();
    PinotCluster pinot = PinotCluster.launch(Path.of("target", "pinot-bench"));
    Runtime.getRuntime().addShutdownHook(new Thread(pinot::close, "pinot-stop"));
    TrackerUnderTest tracker =
        TrackerUnderTest.start(
            config ->
                config
                    .with(Setting.TRACKER_TOPIC_PARTITIONS, 3)
                    .with(Setting.DATABASE_POOL_SIZE, 8)
                    .with(Setting.PINOT_CONTROLLER_URL, pinot.controllerUrl())
                    .with(Setting.PINOT_BROKER_URL, pinot.brokerUrl())
                    .with(Setting.PINOT_TABLE, TABLE),
            List.of(HitPublisherVerticle::new));
    pinot.awaitUp(Duration.ofMinutes(4));
    if (PinotSetup.run(tracker.config(), System.out) != 0) {
      throw new IllegalStateException("pinot-setup failed");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    long generating = System.nanoTime();
    generate(tracker.config().string(Setting.KAFKA_BOOTSTRAP), tracker.topic(), hits, now);
    say("generated " + hits + " hits in " + seconds(generating) + " s");

    long loading = System.nanoTime();
    tracker.deploy(new ProjectionVerticle(), tracker.config());
    int postgresPort = queryApi(tracker, "postgres");
    int pinotPort = queryApi(tracker, "pinot");
    Poll.until(
        Duration.ofMinutes(30), "Pinot has all " + hits + " hits", () -> pinotCount(pinot) == hits);
    say("Pinot has them " + seconds(loading) + " s after the projection and Pinot started reading");
    Poll.until(
        Duration.ofMinutes(60), "the projection caught up", () -> caughtUp(tracker, postgresPort));
    say("PostgreSQL's projection has them " + seconds(loading) + " s after");

    String site = "/api/tracker/sites/site0.example";
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("summary, 24 h (two totals)", site + "/summary?range=24h");
    queries.put("summary, 7 d (two totals)", site + "/summary?range=7d");
    queries.put("series, 24 h by hour", site + "/timeseries?range=24h&bucket=hour");
    queries.put("series, 7 d by hour", site + "/timeseries?range=7d");
    queries.put("series, 30 d by day", site + "/timeseries?range=30d&bucket=day");
    queries.put("top pages, 7 d, 100", site + "/pages?range=7d&limit=100");
    queries.put("referrers, 7 d, 100", site + "/referrers?range=7d&limit=100");
    queries.put("summary of one page, 7 d", site + "/summary?range=7d&page=/page/3");
    System.out.printf(
        "%n%-28s | %-10s | %8s | %8s | %8s%n",
        "query (site0.example)", "backend", "p50 ms", "p99 ms", "max ms");
    for (Map.Entry<String, String> query : queries.entrySet()) {
      JsonObject fromPostgres = answer(tracker, postgresPort, query.getValue());
      JsonObject fromPinot = answer(tracker, pinotPort, query.getValue());
      if (!fromPostgres.equals(fromPinot)) {
        say(
            "DIFFERENT answers for "
                + query.getValue()
                + ":\n  postgres "
                + fromPostgres
                + "\n  pinot    "
                + fromPinot);
      }
      for (Map.Entry<String, Integer> backend :
          Map.of("PostgreSQL", postgresPort, "Pinot", pinotPort).entrySet()) {
        Histogram histogram = measure(tracker, backend.getValue(), query.getValue());
        System.out.printf(
            "%-28s | %-10s | %8.1f | %8.1f | %8.1f%n",
            query.getKey(),
            backend.getKey(),
            histogram.getValueAtPercentile(50) / 1000.0,
            histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getMaxValue() / 1000.0);
      }
    }
    say("done in " + seconds(started) + " s");
    tracker.close();
    pinot.close();
    System.exit(0);
  }

  /**
   * A tenth of the runs to warm up, then the runs measured one after the other, in microseconds.
   */
  private static Histogram measure(TrackerUnderTest tracker, int port, String path) {
    Histogram histogram = new Histogram(60_000_000L, 3);
    for (int i = 0; i < warmup + runs; i++) {
      long start = System.nanoTime();
      HttpResponse<Buffer> response = tracker.get(port, path);
      long micros = (System.nanoTime() - start) / 1000;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            path + " answered " + response.statusCode() + ": " + response.bodyAsString());
      }
      if (i >= warmup) {
        histogram.recordValue(micros);
      }
    }
    return histogram;
  }

  private static void generate(String bootstrap, String topic, int hits, Instant now) {
    Random random = new Random(7);
    Zipf sites = new Zipf(SITES, 1.0);
    Zipf pages = new Zipf(PAGES, 1.1);
    Zipf sources = new Zipf(SOURCES, 1.0);
    long span = Duration.ofDays(DAYS).toMillis();
    long first = now.toEpochMilli() - span;
    HexFormat hex = HexFormat.of();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                "20",
                ProducerConfig.BATCH_SIZE_CONFIG,
                String.valueOf(256 * 1024),
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < hits; i++) {
        String site = "site" + sites.next(random) + ".example";
        long ts = first + (long) (random.nextDouble() * span);
        long day = ts / 86_400_000L;
        int visitor = random.nextInt(VISITORS);
        // a stand-in for the daily-salted hash: the same visitor is another hash on another day
        long hash = new Random(site.hashCode() * 31L + visitor * 1_000_003L + day).nextLong();
        boolean event = random.nextInt(100) < 5;
        JsonObject hit =
            new JsonObject()
                .put("v", 1)
                .put("id", UUID.randomUUID().toString())
                .put("ts", ts)
                .put("site", site)
                .put("name", event ? EVENTS[random.nextInt(EVENTS.length)] : Collector.PAGEVIEW)
                .put("page", "/page/" + pages.next(random))
                .put(
                    "referrer",
                    random.nextInt(100) < 60 ? "" : "source" + sources.next(random) + ".example")
                .put("visitor", hex.toHexDigits(hash))
                .put("screen", "1920x1080")
                .put("source", "pixel");
        producer.send(new ProducerRecord<>(topic, site, hit.encode()));
      }
    }
  }

  /** Ranks 0..n-1 with weights 1/(rank+1)^s. */
  private static final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1 / Math.pow(i + 1, s);
        cumulative[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    int next(Random random) {
      int at = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
      return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
    }
  }

  private static int queryApi(TrackerUnderTest tracker, String backend) {
    int port = Ports.free();
    MeshConfig config =
        tracker
            .config()
            .with(Setting.TRACKER_QUERY_BACKEND, backend)
            .with(Setting.TRACKER_QUERY_PORT, port);
    tracker.deploy(new TrackerQueryVerticle(), config);
    return port;
  }

  private static boolean caughtUp(TrackerUnderTest tracker, int port) {
    JsonObject status = answer(tracker, port, "/api/tracker/projections");
    return status.getJsonArray("versions").stream()
        .map(JsonObject.class::cast)
        .allMatch(v -> Boolean.TRUE.equals(v.getBoolean("caughtUp")));
  }

  private static JsonObject answer(TrackerUnderTest tracker, int port, String path) {
    HttpResponse<Buffer> response = tracker.get(port, path);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  private static long pinotCount(PinotCluster pinot) {
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(pinot.brokerUrl() + "/query/sql"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              new JsonObject()
                                  .put("sql", "SELECT COUNT(*) FROM " + TABLE)
                                  .encode()))
                      .build(),
                  BodyHandlers.ofString())
              .body();
      JsonObject table = new JsonObject(body).getJsonObject("resultTable");
      return table == null ? -1 : table.getJsonArray("rows").getJsonArray(0).getLong(0);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long seconds(long since) {
    return Duration.ofNanos(System.nanoTime() - since).toSeconds();
  }

  private static void say(String line) {
    System.out.println("[bench] " + line);
  }
}
