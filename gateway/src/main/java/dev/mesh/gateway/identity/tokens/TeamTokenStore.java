package dev.mesh.gateway.identity.tokens;

import dev.mesh.common.TeamTokens;
import dev.mesh.gateway.identity.accounts.AccountSchema;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Teams' registration tokens in PostgreSQL (table {@code identity.team_tokens}): all of their SQL
 * is here. A token is kept only as its hash ({@link TeamTokens#hash}); the token itself exists only
 * in the answer that created it.
 */
final class TeamTokenStore {

  private static final String T_TOKENS = AccountSchema.SCHEMA + ".team_tokens";
  private static final String COLUMNS =
      "id, team, label, created_by, created_at, revoked_at," + " last_used_at";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token as the admin's list shows it: never the token, never its hash. */
  record TeamToken(
      UUID id,
      String team,
      String label,
      String createdBy,
      OffsetDateTime createdAt,
      OffsetDateTime revokedAt,
      OffsetDateTime lastUsedAt) {}

  /** A token just created, with the token itself, to be shown once. */
  record Created(TeamToken token, String secret) {}

  private final Pool pool;

  TeamTokenStore(Pool pool) {
    this.pool = pool;
  }

  /** A new token of {@code team}: {@code mesh_} and 32 random bytes in base64url. */
  Future<Created> create(String team, String label, String createdBy) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret =
        TeamTokens.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return pool.preparedQuery(
            "INSERT INTO "
                + T_TOKENS
                + " (id, team, token_hash, label, created_by) VALUES ($1, $2, $3, $4, $5)"
                + " RETURNING "
                + COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), team, TeamTokens.hash(secret), label, createdBy))
        .map(rows -> new Created(token(rows.iterator().next()), secret));
  }

  /** Every token, revoked ones too, newest first. */
  Future<List<TeamToken>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM " + T_TOKENS + " ORDER BY created_at DESC, id")
        .execute()
        .map(TeamTokenStore::tokens);
  }

  /**
   * Revokes a token from now on; false when there is no such token. Revoking a revoked token keeps
   * the first time.
   */
  Future<Boolean> revoke(UUID id) {
    return pool.preparedQuery(
            "UPDATE "
                + T_TOKENS
                + " SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * The team of the token whose hash this is, if it is not revoked, noting its use; null when there
   * is none.
   */
  Future<String> teamOf(String hash) {
    return pool.preparedQuery(
            "UPDATE "
                + T_TOKENS
                + " SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL"
                + " RETURNING team")
        .execute(Tuple.of(hash))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("team"));
  }

  private static List<TeamToken> tokens(RowSet<Row> rows) {
    List<TeamToken> all = new ArrayList<>();
    rows.forEach(row -> all.add(token(row)));
    return all;
  }

  private static TeamToken token(Row row) {
    return new TeamToken(
        row.getUUID("id"),
        row.getString("team"),
        row.getString("label"),
        row.getString("created_by"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("revoked_at"),
        row.getOffsetDateTime("last_used_at"));
  }
}
