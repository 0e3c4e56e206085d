package io.imgtool.registry.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a real registry, counting the connections a client opens:
 * how many connections a push costs is visible only on the wire.
 */
final class CountingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CountingRelay(int targetPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    daemon(this::acceptLoop);
  }

  String registry() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        daemon(() -> pump(client, upstream));
        daemon(() -> pump(upstream, client));
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  /** Copies one direction; the end of it is passed on as a half-close, as TCP does. */
  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException closed) {
      // either side went away
    }
  }

  private static void daemon(Runnable body) {
    Thread thread = new Thread(body, "counting-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
