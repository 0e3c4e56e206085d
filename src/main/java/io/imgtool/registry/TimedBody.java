package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An answer's body as a stream whose every read waits at most the idle timeout, and, for a small
 * answer, never past its read deadline; java.net.http's own stream waits for ever once the
 * headers are in. A timed-out read throws {@link HttpTimeoutException}, which retries treat as
 * transient, and gives the connection up. Closing the stream before its end does the same.
 */
final class TimedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private final String source;
  private final Duration idle;
  private Duration whole;
  private long start;
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> buffers;
  private ByteBuffer buffer;
  private boolean ended;

  /**
   * @param source the host the body comes from, for messages
   * @param whole the read deadline from {@code start} ({@link System#nanoTime}), or null for none
   */
  TimedBody(String source, Duration idle, Duration whole, long start) {
    this.source = source;
    this.idle = idle;
    this.whole = whole;
    this.start = start;
  }

  /**
   * Bounds the rest of the body by a read deadline from now: an error answer to a blob request
   * is read as a small document, whatever the request was. Called before the stream is read.
   */
  void limit(Duration newWhole) {
    this.whole = newWhole;
    this.start = System.nanoTime();
  }

  /** {@code host:port} of a URI, as messages name where an answer came from (no user info, no query). */
  static String source(URI uri) {
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  static HttpTimeoutException idleTimeout(String source, Duration idle) {
    return new HttpTimeoutException(source + " sent nothing for " + Timeouts.seconds(idle) + " (registry-idle-timeout)");
  }

  static HttpTimeoutException deadlineExceeded(String source, Duration whole) {
    return new HttpTimeoutException("the answer from " + source + " took longer than " + Timeouts.seconds(whole)
        + " (registry-read-timeout)");
  }

  /** Nanoseconds left before the read deadline; Long.MAX_VALUE without one. */
  static long remaining(Duration whole, long start) {
    return whole == null ? Long.MAX_VALUE : whole.toNanos() - (System.nanoTime() - start);
  }

  // ---- the subscriber side, called by the HTTP client's threads

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(this); // the stream is handed out with the headers
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    subscription = newSubscription;
    if (closed) {
      newSubscription.cancel();
    } else {
      newSubscription.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    items.add(item);
  }

  @Override
  public void onError(Throwable failure) {
    items.add(failure);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  // ---- the stream side, read by one caller

  @Override
  public int read() throws IOException {
    ByteBuffer current = current();
    return current == null ? -1 : current.get() & 0xff;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return 0;
    }
    ByteBuffer current = current();
    if (current == null) {
      return -1;
    }
    int n = Math.min(length, current.remaining());
    current.get(bytes, offset, n);
    return n;
  }

  @Override
  public int available() {
    return buffer == null ? 0 : buffer.remaining();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription current = subscription;
    if (current != null && !ended) {
      current.cancel();
    }
  }

  private ByteBuffer current() throws IOException {
    while (true) {
      if (closed) {
        throw new IOException("closed");
      }
      if (buffer != null && buffer.hasRemaining()) {
        return buffer;
      }
      if (buffers != null && buffers.hasNext()) {
        buffer = buffers.next();
        continue;
      }
      if (ended) {
        return null;
      }
      Object item = next();
      if (item == END) {
        ended = true;
        return null;
      }
      if (item instanceof Throwable failure) {
        ended = true;
        items.add(failure); // every later read fails the same way
        throw new IOException(failure);
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> list = (List<ByteBuffer>) item;
      buffers = list.iterator();
      subscription.request(1);
    }
  }

  /** The next item, waiting no longer than the idle timeout and the deadline allow. */
  private Object next() throws IOException {
    long left = remaining(whole, start);
    long wait = Math.min(idle.toNanos(), left);
    Object item = null;
    if (wait > 0) {
      try {
        item = items.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new InterruptedIOException("interrupted while reading from " + source);
      }
    }
    if (item == null) {
      close();
      throw left <= idle.toNanos() ? deadlineExceeded(source, whole) : idleTimeout(source, idle);
    }
    return item;
  }
}
