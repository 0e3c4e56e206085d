package io.imgtool.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A request body read from a file in large memory-mapped slices. java.net.http copies an
 * InputStream body through 16 KiB heap arrays and again into direct buffers, and on a local push
 * that costs more CPU than the registry spends receiving; a mapped slice goes to the socket as it
 * is, and a blob of tens of megabytes is a few dozen steps instead of thousands.
 */
final class FileBodyPublisher implements Flow.Publisher<ByteBuffer> {
  static final int SLICE = 4 << 20;

  private final Request.FileSlice file;

  FileBodyPublisher(Path file, long size, LongConsumer progress) {
    this(new Request.FileSlice(file, 0, size, progress));
  }

  /**
   * The slice's bytes: one chunk of a chunked upload, or the rest of a blob the registry holds the
   * start of. Its {@code progress} sees the position in the file, not the count sent, so a resumed
   * upload reports where it stands.
   */
  FileBodyPublisher(Request.FileSlice file) {
    this.file = file;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    FileChannel channel;
    try {
      channel = file.open(); // refuses a file shorter than the slice: mapping past its end faults on access
    } catch (IOException e) {
      subscriber.onSubscribe(new Slices(null, subscriber));
      subscriber.onError(e);
      return;
    }
    subscriber.onSubscribe(new Slices(channel, subscriber));
  }

  /** Hands out slices as demanded; the drain loop runs on one thread at a time. */
  private final class Slices implements Flow.Subscription {
    private final FileChannel channel;
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean cancelled;
    private boolean done;
    private long position = file.start();

    Slices(FileChannel channel, Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.channel = channel;
      this.subscriber = subscriber;
      this.done = channel == null;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancelled = true;
        finish(new IllegalArgumentException("a subscriber must request at least one item (§3.9)"));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      drain();
    }

    private void drain() {
      if (pending.getAndIncrement() != 0) {
        return; // the thread draining now will loop once more
      }
      int missed = 1;
      do {
        emit();
        missed = pending.addAndGet(-missed);
      } while (missed != 0);
    }

    private void emit() {
      while (!done) {
        if (cancelled) {
          finish(null);
        } else if (position >= file.end()) {
          finish(null);
          subscriber.onComplete();
        } else if (demand.get() > 0) {
          ByteBuffer slice;
          try {
            slice = channel.map(FileChannel.MapMode.READ_ONLY, position, Math.min(SLICE, file.end() - position));
          } catch (IOException e) {
            finish(e);
            return;
          }
          position += slice.remaining();
          demand.decrementAndGet();
          subscriber.onNext(slice);
          file.progress().accept(position);
        } else {
          return;
        }
      }
    }

    /** Closes the file; reports {@code failure}, if any, to the subscriber. */
    private void finish(Exception failure) {
      if (done) {
        return;
      }
      done = true;
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only: nothing is lost
      }
      if (failure != null) {
        subscriber.onError(failure);
      }
    }
  }
}
