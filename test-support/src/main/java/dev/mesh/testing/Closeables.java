package dev.mesh.testing;

/** Closing what a test class started, whatever of it did start. */
public final class Closeables {

  private Closeables() {}

  /**
   * Closes each of {@code closeables} that is not null, in order, and all of them even when one
   * fails (a test class's {@code @AfterAll} after a failed start); then throws the first failure.
   */
  public static void closeAll(AutoCloseable... closeables) {
    RuntimeException first = null;
    for (AutoCloseable closeable : closeables) {
      if (closeable == null) {
        continue;
      }
      try {
        closeable.close();
      } catch (Exception e) {
        RuntimeException failure =
            e instanceof RuntimeException r
                ? r
                : new IllegalStateException("Closing " + closeable, e);
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(failure);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
