package dev.mesh.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How a team's registration token is kept and checked, the same in the gateway (which creates and
 * stores them) and the registry (which asks the gateway about them on {@link
 * Addresses#TEAM_TOKENS}): by its SHA-256 in lower-case hex. A token is 32 random bytes, so there
 * is nothing to guess and no need for a salt or a slow hash.
 */
public final class TeamTokens {

  /** Every team's token starts so, followed by 32 random bytes in base64url without padding. */
  public static final String PREFIX = "mesh_";

  private static final Pattern SHAPE = Pattern.compile("mesh_[A-Za-z0-9_-]{43}");

  private TeamTokens() {}

  /**
   * Whether {@code token} has a team token's shape; anything else is no team's token, and nobody
   * need be asked about it.
   */
  public static boolean isShaped(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  /** SHA-256 of the token's UTF-8 bytes, 64 lower-case hex digits. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java has SHA-256", e);
    }
  }

  /** Whether {@code hash} looks like what {@link #hash} makes. */
  public static boolean isHash(String hash) {
    return hash != null && hash.matches("[0-9a-f]{64}");
  }
}
