package io.imgtool.registry.it;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real registry with htpasswd users ({@link RegistryFixture#USER}, {@link
 * RegistryFixture#OTHER_USER}) behind a self-signed certificate, listening on one of this host's
 * own non-loopback addresses. Loopback registries are insecure by Docker's rule, so only a
 * registry like this one shows that a self-signed certificate needs {@code --insecure} or a CA in
 * {@code certs.d}. The certificate names that address, so the CA alone makes it verifiable.
 */
public final class HostAddressTlsRegistry implements AutoCloseable {
  private final Path dir;
  private final String address;
  private final int port;
  private final Process process;

  private HostAddressTlsRegistry(Path dir, String address, int port, Process process) {
    this.dir = dir;
    this.address = address;
    this.port = port;
    this.process = process;
  }

  /** An IPv4 address of an interface that is up and not loopback, if this host has one. */
  public static Optional<String> hostAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return Optional.of(a.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  public static HostAddressTlsRegistry start(Path dir, String address) throws Exception {
    Files.createDirectories(dir);
    RegistryFixture.run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=" + address,
        "-addext", "subjectAltName=IP:" + address));
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, RegistryFixture.bcryptLine(RegistryFixture.USER, RegistryFixture.PASSWORD) + "\n"
        + RegistryFixture.bcryptLine(RegistryFixture.OTHER_USER, RegistryFixture.OTHER_PASSWORD) + "\n");
    int port = freePort(address);
    Path config = RegistryFixture.writeConfig(dir, address + ":" + port,
        "  tls:\n    certificate: " + dir.resolve("cert.pem") + "\n    key: " + dir.resolve("key.pem") + "\n"
            + "auth:\n  htpasswd:\n    realm: imgtool-test\n    path: " + htpasswd + "\n");
    Path log = dir.resolve("registry.log");
    Process process = new ProcessBuilder(RegistryFixture.BINARY, "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HostAddressTlsRegistry registry = new HostAddressTlsRegistry(dir, address, port, process);
    try {
      RegistryFixture.awaitReady(process, registry.baseUri(), log);
    } catch (Exception e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** host:port as written in image names. */
  public String registry() {
    return address + ":" + port;
  }

  public URI baseUri() {
    return URI.create("https://" + registry());
  }

  /** The self-signed certificate (PEM), which is its own CA. */
  public Path certificate() {
    return dir.resolve("cert.pem");
  }

  private static int freePort(String address) throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
