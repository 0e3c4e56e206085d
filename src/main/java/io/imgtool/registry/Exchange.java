package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one request so that no server can hold the caller: the headers must come within the
 * idle timeout of the last byte of the request body (an upload may take long, a silent server
 * not), and a small answer within its read deadline; the body is a {@link TimedBody}.
 */
final class Exchange {
  private Exchange() {}

  /**
   * @param whole the read deadline for the whole answer, headers and body, or null for a blob
   *     transfer, which only the idle timeout bounds (its error answers get the read deadline)
   */
  static HttpResponse<InputStream> send(HttpClient client, HttpRequest request, Timeouts timeouts, Duration whole)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = send(client, request, timeouts.idle(), whole);
    if (whole == null && response.statusCode() / 100 != 2) {
      ((TimedBody) response.body()).limit(timeouts.read());
    }
    return response;
  }

  private static HttpResponse<InputStream> send(HttpClient client, HttpRequest request, Duration idle,
      Duration whole) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String source = TimedBody.source(request.uri());
    AtomicLong lastSent = new AtomicLong(start);
    HttpRequest watched = request.bodyPublisher().filter(body -> body.contentLength() != 0)
        .map(body -> HttpRequest.newBuilder(request, (name, value) -> true)
            .method(request.method(), new WatchedPublisher(body, lastSent)).build())
        .orElse(request);
    CompletableFuture<HttpResponse<InputStream>> answer =
        client.sendAsync(watched, info -> new TimedBody(source, idle, whole, start));
    long seen = lastSent.get();
    while (true) {
      long wait = Math.min(idle.toNanos() - (System.nanoTime() - seen), TimedBody.remaining(whole, start));
      try {
        if (wait > 0) {
          return answer.get(wait, TimeUnit.NANOSECONDS);
        }
      } catch (TimeoutException e) {
        continue; // measure again: the request body may have moved meanwhile
      } catch (ExecutionException e) {
        throw failure(e.getCause());
      } catch (InterruptedException e) {
        answer.cancel(true);
        throw e;
      }
      if (TimedBody.remaining(whole, start) <= 0) {
        answer.cancel(true);
        throw TimedBody.deadlineExceeded(source, whole);
      }
      if (lastSent.get() == seen) {
        answer.cancel(true);
        throw TimedBody.idleTimeout(source, idle);
      }
      seen = lastSent.get();
    }
  }

  /** The client's failure as the blocking send throws it: the IOException itself (ConnectException, SSLException...). */
  private static IOException failure(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(cause);
  }

  /** A request body that notes when the client last took bytes of it: an upload in progress is not idle. */
  private record WatchedPublisher(HttpRequest.BodyPublisher body, AtomicLong lastSent)
      implements HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      body.subscribe(new Flow.Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscriber.onSubscribe(subscription);
        }

        @Override
        public void onNext(ByteBuffer item) {
          lastSent.set(System.nanoTime());
          subscriber.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
          subscriber.onError(failure);
        }

        @Override
        public void onComplete() {
          lastSent.set(System.nanoTime());
          subscriber.onComplete();
        }
      });
    }
  }
}
