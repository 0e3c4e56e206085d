package io.imgtool.images;

import io.imgtool.image.Parallel;
import io.imgtool.layer.RootfsDiff;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The changeset of an edited root filesystem as a tar stream: the diff writes the tar on one
 * thread while the layer builder reads, hashes and compresses it on this one, so the changeset
 * is never held in memory or written to disk uncompressed.
 */
final class RootfsInput {
  private static final int PIPE_BUFFER = 1 << 20;

  private RootfsInput() {}

  static void checkDirectory(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidRequestException(dir + " is not a directory; give the edited root filesystem");
    }
  }

  /** Runs {@code consumer} on the tar stream of {@code diff}; clamp (nullable) limits mtimes. */
  static <T> T stream(RootfsDiff diff, Instant clamp, TarConsumer<T> consumer) throws IOException {
    ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "rootfs-tar");
      thread.setDaemon(true);
      return thread;
    });
    try (PipedInputStream in = new PipedInputStream(PIPE_BUFFER)) {
      PipedOutputStream pipe = new PipedOutputStream(in);
      Future<?> written = writer.submit(() -> {
        try (OutputStream out = pipe) {
          if (clamp == null) {
            diff.writeTo(out);
          } else {
            diff.writeTo(out, clamp);
          }
        }
        return null;
      });
      T result;
      try {
        result = consumer.accept(in);
      } catch (IOException | RuntimeException e) {
        written.cancel(true);
        throw e;
      }
      Parallel.await(written);
      return result;
    } finally {
      writer.shutdownNow();
    }
  }

  @FunctionalInterface
  interface TarConsumer<T> {
    T accept(InputStream tar) throws IOException;
  }
}
