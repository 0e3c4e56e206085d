package io.imgtool.registry;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Aborts a connection whose writes made no progress for the idle timeout. A blocking socket write
 * has no timeout of its own (SO_TIMEOUT is for reads), and a registry that stops reading an upload
 * would hold it for ever; aborting the connection makes the write fail, and {@link #fired} tells
 * the writer why.
 */
final class WriteWatchdog implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = timer();

  private final DirectConnection connection;
  private final long idleNanos;
  private volatile long last = System.nanoTime();
  private volatile boolean fired;
  private volatile boolean closed;
  private ScheduledFuture<?> check;

  private WriteWatchdog(DirectConnection connection, Duration idle) {
    this.connection = connection;
    this.idleNanos = idle.toNanos();
  }

  static WriteWatchdog start(DirectConnection connection, Duration idle) {
    WriteWatchdog watchdog = new WriteWatchdog(connection, idle);
    watchdog.schedule(watchdog.idleNanos);
    return watchdog;
  }

  /** Bytes went out: the idle timeout starts again. */
  void progressed() {
    last = System.nanoTime();
  }

  /** Whether the watchdog closed the socket. */
  boolean fired() {
    return fired;
  }

  private synchronized void schedule(long delayNanos) {
    if (!closed) {
      check = TIMER.schedule(this::check, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    long quiet = System.nanoTime() - last;
    if (quiet < idleNanos) {
      schedule(idleNanos - quiet);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      fired = true;
    }
    connection.abort();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (check != null) {
      check.cancel(false);
    }
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, work -> {
      Thread thread = new Thread(work, "imgtool-write-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
