package dev.mesh.gateway.identity;

import java.util.Locale;

/** What a person may do beyond reading what is shared with them. */
public enum Role {
  /** Opens layouts shared with them (and provisioned ones); creates nothing. */
  VIEWER,
  /** A power user: creates, clones and imports layouts of their own. */
  EDITOR,
  /** Sees every layout and may change, share or delete any (provisioned ones stay read only). */
  ADMIN;

  /** Whether this role may do what {@code needed} may (admin includes editor includes viewer). */
  public boolean atLeast(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
