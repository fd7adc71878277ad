package dev.mesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for servers a test must find again at the same address (a restart, a child JVM). */
public final class Ports {

  private Ports() {}

  /**
   * A port free now, from the kernel's ephemeral range. It stays free: {@link TestCluster}'s own
   * ports are below that range, and servers on port 0 take whichever other port is free.
   */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
