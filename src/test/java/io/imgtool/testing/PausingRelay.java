package io.imgtool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of a server that stops passing bytes from clients once it
 * has passed {@code pauseAfter} of them, until {@link #release}: a transfer held in the middle,
 * so that a test can look at what a user sees then, without depending on how fast anything is.
 */
public final class PausingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final long pauseAfter;
  private final AtomicLong passed = new AtomicLong();
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public PausingRelay(int targetPort, long pauseAfter) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.pauseAfter = pauseAfter;
    daemon(this::acceptLoop);
  }

  /** {@code 127.0.0.1:PORT}, to use as a registry name. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Lets the held bytes through, and all that follow. */
  public void release() {
    released.countDown();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        daemon(() -> pump(client, upstream, true));
        daemon(() -> pump(upstream, client, false));
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  private void pump(Socket from, Socket to, boolean held) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (held && passed.addAndGet(n) > pauseAfter) {
          released.await();
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException closed) {
      // either side went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void daemon(Runnable body) {
    Thread thread = new Thread(body, "pausing-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    release();
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
