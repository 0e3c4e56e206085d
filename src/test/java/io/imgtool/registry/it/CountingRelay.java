package io.imgtool.registry.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of a real registry, counting the connections a client opens
 * and the bytes it sends: how many connections a push costs, and how much of a layer a resumed
 * upload sends again, are visible only on the wire.
 */
final class CountingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong bytesSent = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CountingRelay(int targetPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    daemon(this::acceptLoop);
  }

  String registry() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  /** Bytes the clients sent towards the registry (requests: headers and bodies). */
  long bytesSent() {
    return bytesSent.get();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        daemon(() -> pump(client, upstream, bytesSent));
        daemon(() -> pump(upstream, client, new AtomicLong()));
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  /** Copies one direction; the end of it is passed on as a half-close, as TCP does. */
  private static void pump(Socket from, Socket to, AtomicLong count) {
    byte[] buffer = new byte[64 * 1024];
    try {
      var in = from.getInputStream();
      var out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        count.addAndGet(n);
      }
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
