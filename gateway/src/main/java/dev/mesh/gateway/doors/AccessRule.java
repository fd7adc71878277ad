package dev.mesh.gateway.doors;

/**
 * Who may come in through a {@link Door}. The three rules that ask who is calling ({@link
 * #asksWhoIsCalling()}) are checked by the gateway before anything else of the door runs; the other
 * two let the request through as it came.
 */
public enum AccessRule {
  /**
   * Anybody, unasked: the pages and their bundles, the widgets' files, the tracker's collector
   * (which answers the browsers of every tracked site), health and metrics.
   */
  PUBLIC,
  /** Anybody the gateway can tell who they are; 401 for a stranger. */
  SIGNED_IN,
  /** A signed-in editor or admin; 401 for a stranger, 403 for a viewer. */
  EDITOR,
  /** A signed-in admin; 401 for a stranger, 403 for anybody else. */
  ADMIN,
  /**
   * The service behind the door decides, and the door names who checks ({@link Door#checkedBy()}):
   * the gateway forwards the request as it came, credentials included.
   */
  SERVICE;

  /** Whether the gateway itself asks who is calling before the door's handlers run. */
  public boolean asksWhoIsCalling() {
    return this == SIGNED_IN || this == EDITOR || this == ADMIN;
  }
}
