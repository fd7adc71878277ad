package dev.mesh.tracker;

/**
 * The tracker's JSON Schemas, kept under {@code contracts/} and used as they are by code and tests.
 */
public final class TrackerContracts {

  /** A hit as written to the Kafka topic. */
  public static final String HIT = "contracts/tracker-hit.schema.json";

  /** What the tracking script posts to the beacon path. */
  public static final String BEACON = "contracts/tracker-beacon.schema.json";

  /** A message of the live feed ({@code mesh.tracker.live}). */
  public static final String LIVE = "contracts/tracker-live.schema.json";

  private TrackerContracts() {}
}
