package io.imgtool.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One request to send, possibly more than once (after a 401, on a redirect): the body is a
 * supplier so that each attempt streams it afresh. A request with a timeout is a small exchange,
 * bounded as a whole by the read deadline of {@link Timeouts}; one without (a blob transfer) only
 * by its idle timeout. A body that is a slice of a file says so ({@link #file}): it is then
 * written to the socket directly ({@link DirectUpload}).
 */
record Request(String method, URI uri, Map<String, String> headers, Supplier<BodyPublisher> body, Duration timeout,
    FileSlice file) {
  /** Marks a small request (manifest, ping, token); the duration applied is the settings' read deadline. */
  static final Duration SHORT = Duration.ofSeconds(60);

  /**
   * {@code length} bytes of {@code path} from {@code start}; {@code progress} sees the position in
   * the file reached, not the count sent, so a resumed upload reports where it stands.
   */
  record FileSlice(Path path, long start, long length, LongConsumer progress) {
    /** The position in the file just past the slice. */
    long end() {
      return start + length;
    }

    /** Opens the file; one shorter than the slice is refused before any of its bytes is sent. */
    FileChannel open() throws IOException {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      long size = channel.size();
      if (size < end()) {
        channel.close();
        throw new IOException(path + " is " + size + " bytes, shorter than the blob's " + end());
      }
      return channel;
    }
  }

  static Request of(String method, URI uri) {
    return new Request(method, uri, Map.of(), BodyPublishers::noBody, SHORT, null);
  }

  Request header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Request(method, uri, copy, body, timeout, file);
  }

  Request body(Supplier<BodyPublisher> newBody) {
    return new Request(method, uri, headers, newBody, timeout, null);
  }

  /** A body that is a slice of a file: mapped slices for java.net.http, the file itself for a direct upload. */
  Request body(FileSlice slice) {
    Supplier<BodyPublisher> publisher = () -> BodyPublishers.fromPublisher(
        new FileBodyPublisher(slice), slice.length());
    return new Request(method, uri, headers, publisher, timeout, slice);
  }

  Request noTimeout() {
    return new Request(method, uri, headers, body, null, file);
  }

  Request uri(URI newUri) {
    return new Request(method, newUri, headers, body, timeout, file);
  }
}
