-- Layouts, their revisions and their shares (issue 5). Flyway runs this in the schema `layouts`.
-- The constraints repeat the API's rules, so that no bug and no hand-made SQL can store what the
-- API would refuse.

CREATE TABLE layouts (
  id                   uuid        PRIMARY KEY,
  name                 text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120 AND name = btrim(name)),
  description          text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  -- null only for a provisioned layout: it belongs to the file, nobody may edit it
  owner                text        CHECK (char_length(owner) BETWEEN 1 AND 200),
  version              integer     NOT NULL CHECK (version > 0),
  content              jsonb       NOT NULL CHECK (jsonb_typeof(content) = 'object' AND coalesce(jsonb_typeof(content -> 'config'), 'none') = 'object'),
  -- the widget ids the content shows, derived on save so that listing never reads the content
  widgets              text[]      NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  updated_by           text        NOT NULL CHECK (char_length(updated_by) BETWEEN 1 AND 200),
  -- a clone remembers its original; no foreign key, since the original may be deleted and the
  -- clone must say so rather than vanish with it
  forked_from_id       uuid,
  forked_from_revision integer     CHECK (forked_from_revision > 0),
  forked_from_name     text,
  provisioned_file     text        UNIQUE CHECK (char_length(provisioned_file) BETWEEN 1 AND 255),
  CONSTRAINT layouts_fork_complete CHECK (
    (forked_from_id IS NULL) = (forked_from_revision IS NULL) AND (forked_from_id IS NULL) = (forked_from_name IS NULL)),
  CONSTRAINT layouts_owner_or_file CHECK ((owner IS NULL) = (provisioned_file IS NOT NULL)),
  CONSTRAINT layouts_no_self_fork CHECK (forked_from_id IS DISTINCT FROM id),
  CONSTRAINT layouts_updated_after_created CHECK (updated_at >= created_at)
);

CREATE INDEX layouts_by_owner ON layouts (owner, updated_at DESC);
CREATE INDEX layouts_by_original ON layouts (forked_from_id) WHERE forked_from_id IS NOT NULL;

-- Every save is a revision, numbered 1, 2, 3... per layout; revision n is what version n held.
CREATE TABLE layout_revisions (
  layout_id   uuid        NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
  revision    integer     NOT NULL CHECK (revision > 0),
  saved_at    timestamptz NOT NULL DEFAULT now(),
  saved_by    text        NOT NULL CHECK (char_length(saved_by) BETWEEN 1 AND 200),
  action      text        NOT NULL CHECK (action IN ('create', 'update', 'restore', 'pull', 'clone', 'import', 'provision')),
  name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  description text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  content     jsonb       NOT NULL CHECK (jsonb_typeof(content) = 'object' AND coalesce(jsonb_typeof(content -> 'config'), 'none') = 'object'),
  PRIMARY KEY (layout_id, revision)
);

-- The current version always has its revision: checked at commit, so a save and its revision are
-- written together or not at all.
ALTER TABLE layouts ADD CONSTRAINT layouts_version_has_revision
  FOREIGN KEY (id, version) REFERENCES layout_revisions (layout_id, revision) DEFERRABLE INITIALLY DEFERRED;

-- Who may open a layout besides its owner: users, groups, and at most one link (anyone with its token).
CREATE TABLE layout_shares (
  layout_id uuid NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('user', 'group', 'link')),
  -- the user or group; null for the link
  name      text CHECK (char_length(name) BETWEEN 1 AND 200),
  -- the link's secret; null for users and groups
  token     text UNIQUE CHECK (char_length(token) >= 32),
  role      text NOT NULL CHECK (role IN ('viewer', 'editor')),
  CONSTRAINT layout_shares_named CHECK ((kind = 'link') = (name IS NULL)),
  CONSTRAINT layout_shares_token CHECK ((kind = 'link') = (token IS NOT NULL))
);

CREATE UNIQUE INDEX layout_shares_once ON layout_shares (layout_id, kind, name) WHERE kind <> 'link';
CREATE UNIQUE INDEX layout_shares_one_link ON layout_shares (layout_id) WHERE kind = 'link';
CREATE INDEX layout_shares_by_name ON layout_shares (kind, name) WHERE kind <> 'link';
