-- The built-in accounts of identity mode `accounts` (issue 17). Flyway runs this in the schema
-- `identity`. As with the layouts, the constraints repeat the API's rules.

CREATE TABLE people (
  name            text        PRIMARY KEY CHECK (char_length(name) BETWEEN 1 AND 200 AND name = btrim(name)),
  -- an Argon2id hash in the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash)
  password_hash   text        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  role            text        NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  groups          text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(groups) <= 500),
  -- consecutive failed sign-ins; reaching the limit locks the account until locked_until
  failed_sign_ins integer     NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
  locked_until    timestamptz,
  password_set_at timestamptz NOT NULL DEFAULT now(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text        NOT NULL CHECK (char_length(created_by) BETWEEN 1 AND 200)
);

-- people by group, for listing a group's members
CREATE INDEX people_groups ON people USING gin (groups);
