package dev.mesh.gateway.layouts;

import java.util.Locale;

/** What the caller may do with one layout, from least to most. */
enum Access {
  /** Open it, its revisions, its original's changes; export and clone it. */
  VIEWER,
  /** And save new versions of it (update, restore, pull). */
  EDITOR,
  /** And share and delete it, as an admin. */
  ADMIN,
  /** And share and delete it, as its owner. */
  OWNER;

  boolean mayEdit() {
    return this != VIEWER;
  }

  boolean mayManage() {
    return this == ADMIN || this == OWNER;
  }

  String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
