package dev.mesh.gateway.identity.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (BouncyCastle's implementation), stored in the PHC string format
 * so that a hash names its own parameters and a later, costlier setting still verifies old hashes.
 * The cost is OWASP's minimum recommendation for Argon2id (19 MiB, two passes, one lane): tens of
 * milliseconds, so callers run it off the event loop.
 */
public final class Passwords {

  /** Shortest password accepted; NIST SP 800-63B asks for at least 8, we ask a little more. */
  public static final int MIN_LENGTH = 10;

  /** Longest password accepted: a bound on the work one request can ask for. */
  public static final int MAX_LENGTH = 200;

  private static final int MEMORY_KIB = 19 * 1024;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Verified against unknown names, so that a wrong name costs as long as a wrong password and
   * timing does not tell which names exist.
   */
  private static final String DUMMY = hash("not a password of anyone's");

  private Passwords() {}

  /** What is wrong with a new password, or null when it may be used. */
  public static String problem(String password) {
    if (password == null) {
      return "is missing";
    }
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long";
    }
    if (password.isBlank()) {
      return "must not be blank";
    }
    return null;
  }

  /** A new hash of the password with a random salt. Blocking: tens of milliseconds. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * Whether the password matches the stored hash; a null or unreadable hash never matches (and
   * costs as much as one that does not). Blocking.
   */
  public static boolean verify(String password, String stored) {
    Matcher phc = stored == null ? null : PHC.matcher(stored);
    if (phc == null || !phc.matches() || password == null || password.length() > 4 * MAX_LENGTH) {
      verify("x", DUMMY);
      return false;
    }
    byte[] expected = B64_DECODE.decode(phc.group(5));
    byte[] actual =
        derive(
            password,
            B64_DECODE.decode(phc.group(4)),
            Integer.parseInt(phc.group(1)),
            Integer.parseInt(phc.group(2)),
            Integer.parseInt(phc.group(3)),
            expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** A verification that always fails, as slow as a real one: for names nobody has. */
  public static void verifyNobody(String password) {
    verify(password == null ? "" : password, DUMMY);
  }

  private static byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(lanes)
            .withSalt(salt)
            .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
