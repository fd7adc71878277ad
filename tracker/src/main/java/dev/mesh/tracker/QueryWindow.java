package dev.mesh.tracker;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The time range of a query, from {@code range} or {@code from}/{@code to}, at whole minutes: the
 * projections count per minute, so {@code from} is rounded down and {@code to} up.
 */
record QueryWindow(Instant from, Instant to) {

  static final Duration LONGEST = Duration.ofDays(400);
  static final int MAX_POINTS = 1500;
  private static final Map<String, Duration> RANGES =
      Map.of(
          "5m",
          Duration.ofMinutes(5),
          "30m",
          Duration.ofMinutes(30),
          "1h",
          Duration.ofHours(1),
          "6h",
          Duration.ofHours(6),
          "24h",
          Duration.ofHours(24),
          "7d",
          Duration.ofDays(7),
          "30d",
          Duration.ofDays(30),
          "90d",
          Duration.ofDays(90),
          "365d",
          Duration.ofDays(365));

  /** A query parameter that cannot be used, and why. */
  static final class BadParameter extends RuntimeException {
    BadParameter(String parameter, String problem) {
      super("Parameter '" + parameter + "': " + problem, null, false, false);
    }
  }

  static QueryWindow of(MultiMap params, Instant now) {
    String range = params.get("range");
    String from = params.get("from");
    String to = params.get("to");
    Instant start;
    Instant end;
    if (range != null) {
      if (from != null || to != null) {
        throw new BadParameter("range", "give either range or from (and to), not both");
      }
      Duration length = RANGES.get(range);
      if (length == null) {
        throw new BadParameter(
            "range", "'" + range + "' is not one of " + RANGES.keySet().stream().sorted().toList());
      }
      end = now;
      start = now.minus(length);
    } else if (from != null) {
      start = instant("from", from);
      end = to == null ? now : instant("to", to);
    } else if (to != null) {
      throw new BadParameter("to", "to needs a from");
    } else {
      end = now;
      start = now.minus(Duration.ofHours(24));
    }
    start = start.truncatedTo(ChronoUnit.MINUTES);
    Instant roundedEnd = end.truncatedTo(ChronoUnit.MINUTES);
    end = roundedEnd.equals(end) ? end : roundedEnd.plus(1, ChronoUnit.MINUTES);
    if (!start.isBefore(end)) {
      throw new BadParameter(
          "to", "the range must end after it starts (from " + start + ", to " + end + ")");
    }
    if (Duration.between(start, end).compareTo(LONGEST) > 0) {
      throw new BadParameter("from", "a range may span at most " + LONGEST.toDays() + " days");
    }
    return new QueryWindow(start, end);
  }

  /**
   * An ISO-8601 instant with a zone ({@code 2026-11-21T10:00:00Z}, {@code ...+02:00}) or a UTC day
   * ({@code 2026-11-21}).
   */
  private static Instant instant(String parameter, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADay) {
        throw new BadParameter(
            parameter,
            "'"
                + Sites.shorten(value)
                + "' is not an ISO-8601 instant such as 2026-11-21T10:00:00Z");
      }
    }
  }

  /** The window of the same length just before this one. */
  QueryWindow previous() {
    return new QueryWindow(from.minus(Duration.between(from, to)), from);
  }

  Duration length() {
    return Duration.between(from, to);
  }

  /**
   * The bucket asked for, or one that gives a readable number of points; refused when it gives too
   * many.
   */
  Analytics.Bucket bucket(String asked) {
    Analytics.Bucket bucket;
    if (asked == null) {
      long hours = length().toHours();
      bucket =
          hours <= 6
              ? Analytics.Bucket.MINUTE
              : hours <= 24 * 7 ? Analytics.Bucket.HOUR : Analytics.Bucket.DAY;
    } else {
      try {
        bucket = Analytics.Bucket.valueOf(asked.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadParameter(
            "bucket", "'" + Sites.shorten(asked) + "' is not minute, hour or day");
      }
    }
    long points = (length().getSeconds() + bucket.seconds - 1) / bucket.seconds + 1;
    if (points > MAX_POINTS) {
      throw new BadParameter(
          "bucket",
          "'"
              + bucket.sql()
              + "' would give "
              + points
              + " points over this range, at most "
              + MAX_POINTS
              + " are answered: choose a larger bucket or a shorter range");
    }
    return bucket;
  }

  /** Start of the bucket that holds {@code instant}, in UTC. */
  static Instant bucketStart(Instant instant, Analytics.Bucket bucket) {
    return switch (bucket) {
      case MINUTE -> instant.truncatedTo(ChronoUnit.MINUTES);
      case HOUR -> instant.truncatedTo(ChronoUnit.HOURS);
      case DAY -> instant.truncatedTo(ChronoUnit.DAYS);
    };
  }
}
