package io.imgtool.registry;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.http.HttpClient;

/**
 * Stops an HttpClient's selector thread. Java 17's HttpClient has no close(), and its selector
 * waits in epoll (native code) until the client is garbage collected; at exit the JVM waits up
 * to 300 ms for threads in native code, a large share of a short command's time. This reaches
 * the selector through the jar's Add-Opens of jdk.internal.net.http and is best effort: where the
 * package is not open (tests, another launcher) it does nothing and the exit is just slower.
 */
final class HttpClientShutdown {
  private static final long JOIN_MILLIS = 200;

  private HttpClientShutdown() {}

  static void stop(HttpClient client) {
    try {
      Field implField = client.getClass().getDeclaredField("impl");
      implField.setAccessible(true);
      Object impl = implField.get(client);
      Field selectorField = impl.getClass().getDeclaredField("selmgr");
      selectorField.setAccessible(true);
      Thread selector = (Thread) selectorField.get(impl);
      Method shutdown = selector.getClass().getDeclaredMethod("shutdown");
      shutdown.setAccessible(true);
      shutdown.invoke(selector);
      selector.join(JOIN_MILLIS);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not open to us, or another JDK's internals: nothing to stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
