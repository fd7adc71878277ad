-- Teams' tokens for widget registration (issue 17, docs/registry.md "Team tokens"). Flyway runs
-- this in the schema `identity` whenever the gateway has a database, whatever its identity mode.
-- A token is 32 random bytes, so its SHA-256 is enough to keep it (no salt, no slow hash: there is
-- nothing to guess); the token itself is shown once, when it is created, and never stored.

CREATE TABLE team_tokens (
  id           uuid        PRIMARY KEY,
  -- the manifest's owner this token may register widgets for (the manifest schema's rule for owner)
  team         text        NOT NULL CHECK (char_length(team) BETWEEN 1 AND 100 AND team ~ '\S'),
  -- SHA-256 of the token, lower-case hex
  token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  label        text        NOT NULL DEFAULT '' CHECK (char_length(label) <= 200),
  created_by   text        NOT NULL CHECK (char_length(created_by) BETWEEN 1 AND 200),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);

CREATE INDEX team_tokens_team ON team_tokens (team);
