package dev.mesh.tracker;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The daily salts of the visitor hash, kept in {@code tracker.salts} so that every tracker
 * instance, and an instance restarted the same day, hashes a visitor the same way. A salt is drawn
 * at random for each UTC day, a day ahead (so midnight needs no database round trip), and deleted
 * once its day is over: a day's hashes can then never be linked to another day's, nor to an IP
 * address again.
 *
 * <p>Confined to one verticle's event loop: {@link Mac} instances are not thread-safe.
 */
final class Salts {

  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final Clock clock;
  private final Map<LocalDate, Mac> byDay = new HashMap<>();

  Salts(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * Makes sure today's and tomorrow's salts exist, loads them and deletes the salts of past days.
   */
  Future<Void> refresh() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate tomorrow = today.plusDays(1);
    return pool.withTransaction(
            connection ->
                connection
                    .preparedQuery(
                        "INSERT INTO tracker.salts (day, salt) VALUES ($1, $2), ($3, $4) ON CONFLICT (day) DO NOTHING")
                    .execute(
                        Tuple.of(today, Buffer.buffer(fresh()), tomorrow, Buffer.buffer(fresh())))
                    .compose(
                        inserted ->
                            connection
                                .preparedQuery("DELETE FROM tracker.salts WHERE day < $1")
                                .execute(Tuple.of(today)))
                    .compose(
                        deleted ->
                            connection
                                .preparedQuery(
                                    "SELECT day, salt FROM tracker.salts WHERE day IN ($1, $2)")
                                .execute(Tuple.of(today, tomorrow))))
        .map(
            rows -> {
              byDay.keySet().removeIf(day -> day.isBefore(today));
              for (Row row : rows) {
                use(row.getLocalDate("day"), row.getBuffer("salt").getBytes());
              }
              return null;
            });
  }

  /** Hashes the visitors of {@code day} under {@code salt} from now on. */
  void use(LocalDate day, byte[] salt) {
    byDay.put(day, mac(salt));
  }

  /**
   * The visitor of a hit received at {@code at}: HMAC-SHA-256 over site, IP address and user agent
   * under that day's salt, cut to 64 bits, in hex. Null when the day's salt is not loaded (the
   * database was unreachable for a whole day), so that no hit is counted under a wrong day's
   * identity.
   */
  String visitor(String site, String ip, String userAgent, Instant at) {
    Mac mac = byDay.get(LocalDate.ofInstant(at, ZoneOffset.UTC));
    if (mac == null) {
      return null;
    }
    byte[] digest =
        mac.doFinal((site + '\n' + ip + '\n' + userAgent).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 8);
  }

  private static byte[] fresh() {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    return salt;
  }

  private static Mac mac(byte[] salt) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(salt, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JVM has no " + ALGORITHM, e);
    }
  }
}
