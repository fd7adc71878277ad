package dev.mesh.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples were spent, as text (Java 17's {@code jfr} has no such view):
 * the hottest methods by samples on top of the stack (self) and by samples anywhere in it (total),
 * each as a share of the recorded threads' samples. Threads can be narrowed by a name prefix, e.g.
 * {@code vert.x-eventloop} for what the event loops did.
 *
 * <p>Usage: {@code HotMethods --file rec.jfr [--threads vert.x-eventloop] [--top 30]}
 */
public final class HotMethods {

  private HotMethods() {}

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv);
    Path file = Path.of(args.string("file", null));
    String threads = args.string("threads", "");
    int top = args.integer("top", 30);

    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    int samples = 0;
    int all = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      all++;
      String thread =
          event.getThread("sampledThread") == null
              ? "?"
              : event.getThread("sampledThread").getJavaName();
      byThread.merge(threadGroup(thread), 1, Integer::sum);
      RecordedStackTrace stack = event.getStackTrace();
      if (!thread.startsWith(threads) || stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame);
        if (seen.add(name)) {
          total.merge(name, 1, Integer::sum);
        }
      }
    }
    System.out.printf("%d CPU samples in all; by thread:%n", all);
    print(byThread, all, top);
    System.out.printf(
        "%n%d samples of threads named %s*; self (top of the stack):%n", samples, threads);
    print(self, samples, top);
    // JFR keeps 64 frames by default: the outermost frames of deeper stacks are undercounted here
    System.out.printf("%ntotal (anywhere in the stack):%n");
    print(total, samples, top);
  }

  private static String threadGroup(String thread) {
    // vert.x-eventloop-thread-3 and kafka-producer-network-thread | x: one line per kind of thread
    return thread.replaceAll("-[0-9]+$", "-N").replaceAll(" \\|.*", "");
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Integer> counts, int of, int top) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f%%  %6d  %s%n",
                    100.0 * e.getValue() / Math.max(1, of), e.getValue(), e.getKey()));
  }
}
