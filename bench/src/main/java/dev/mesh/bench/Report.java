package dev.mesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** What every benchmark prints: percentiles in milliseconds, and a process's CPU time. */
final class Report {

  private Report() {}

  /** Latencies in microseconds, up to a minute, 3 significant digits. */
  static Histogram micros() {
    return new Histogram(60_000_000L, 3);
  }

  static String ms(Histogram h, double percentile) {
    return String.format(Locale.ROOT, "%.2f", h.getValueAtPercentile(percentile) / 1000.0);
  }

  static String maxMs(Histogram h) {
    return String.format(Locale.ROOT, "%.2f", h.getMaxValue() / 1000.0);
  }

  /**
   * User plus system CPU seconds a process has used so far, from /proc/PID/stat (fields 14 and 15,
   * counted after the command name, which may hold spaces). Linux counts them in USER_HZ, which is
   * 100 on every mainstream architecture (getconf CLK_TCK).
   */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is the state (field 3), so utime (14) and stime (15) are at 11 and 12
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
    }
  }

  static String load() {
    try {
      String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return avg[0] + " " + avg[1] + " " + avg[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
