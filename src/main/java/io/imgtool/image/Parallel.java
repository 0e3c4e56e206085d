package io.imgtool.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/** Runs a step for each item on at most {@code jobs} threads; the first failure stops the rest. */
public final class Parallel {
  @FunctionalInterface
  public interface Step<T> {
    void run(T item) throws IOException;
  }

  private Parallel() {}

  public static <T> void forEach(int jobs, List<T> items, Step<T> step) throws IOException {
    if (jobs <= 1 || items.size() <= 1) {
      for (T item : items) {
        step.run(item); // in order, on the caller's thread
      }
      return;
    }
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "imgtool-worker");
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, items.size()), daemons);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> {
          step.run(item);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        await(future);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for a task of another thread, rethrowing what failed it as the task threw it. */
  public static void await(Future<?> future) throws IOException {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new UncheckedIOException(new IOException(cause));
    }
  }
}
