package io.imgtool.registry.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Docker Distribution registry on a non-loopback address: plain HTTP, no auth, on port
 * 5000 of a private address inside a network namespace of its own, joined to the host by a veth
 * pair. Loopback registries are insecure by Docker's rule, so only a registry like this one tests
 * the {@code --insecure} and {@code insecure-registries} rules for real.
 *
 * <p>Names: namespace {@code imgtool-<pid>-<id>}, host end {@code imgh<id>}, namespace end
 * {@code imgn<id>}, subnet {@code 10.231.<n>.0/24} (host .1, registry .2). The pid in the
 * namespace name lets {@link #cleanupStale()} tell leftovers of dead test runs from fixtures of
 * runs still going. Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and {@code ip} (iproute2):
 * check {@link #unavailableReason()} first. Traffic goes only to the fixture's own addresses.
 */
public final class NetnsRegistry implements AutoCloseable {
  public static final int PORT = 5000;
  private static final String PREFIX = "imgtool-";
  private static final Pattern OWN_NAMESPACE = Pattern.compile("imgtool-(\\d+)-([0-9a-f]{6})");
  private static final Pattern IPV4_PREFIX =
      Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?");
  private static final Pattern INET = Pattern.compile("\\sinet (\\d{1,3}(?:\\.\\d{1,3}){3})/(\\d{1,2})");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Optional<String> unavailable;

  private final String namespace;
  private final String hostLink;
  private final String subnet; // the first three octets of the /24, e.g. "10.231.77"
  private final Process process;
  private final Path certificate;
  private final Thread shutdownHook;
  private boolean closed;

  private NetnsRegistry(String namespace, String hostLink, String subnet, Process process, Path certificate) {
    this.namespace = namespace;
    this.certificate = certificate;
    this.hostLink = hostLink;
    this.subnet = subnet;
    this.process = process;
    // A crashed or interrupted test run must not leave a namespace and an address behind.
    this.shutdownHook = new Thread(this::teardown, "netns-registry-cleanup " + namespace);
  }

  /** Empty when the fixture can run here, else why not (for a test assumption's message). */
  public static synchronized Optional<String> unavailableReason() {
    if (unavailable == null) {
      unavailable = probe();
    }
    return unavailable;
  }

  public static boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  private static Optional<String> probe() {
    if (!RegistryFixture.isAvailable()) {
      return Optional.of(RegistryFixture.BINARY + " is not installed (Debian package docker-registry)");
    }
    if (ip("-V").exitCode() != 0) {
      return Optional.of("the ip command is not installed (Debian package iproute2)");
    }
    Result uid = command(List.of("id", "-u"));
    if (uid.exitCode() != 0 || !uid.output().strip().equals("0")) {
      return Optional.of("network namespaces need root; running as uid " + uid.output().strip());
    }
    String name = PREFIX + ProcessHandle.current().pid() + "-probe";
    Result add = ip("netns", "add", name);
    ip("netns", "delete", name);
    if (add.exitCode() != 0) {
      return Optional.of("ip netns add is not permitted here: " + add.output().strip());
    }
    return Optional.empty();
  }

  /**
   * Creates the namespace and the veth pair, starts the registry inside with its storage under
   * {@code dir}, and waits until {@code /v2/} answers from the host.
   */
  public static NetnsRegistry start(Path dir) throws Exception {
    return start(dir, false);
  }

  /**
   * htpasswd users ({@link RegistryFixture#USER}, {@link RegistryFixture#OTHER_USER}) behind TLS
   * with a self-signed certificate for the namespace's address ({@link #certificate()}): off
   * loopback, so only --insecure or a certs.d CA lets a client in.
   */
  public static NetnsRegistry startTls(Path dir) throws Exception {
    return start(dir, true);
  }

  private static NetnsRegistry start(Path dir, boolean tls) throws Exception {
    cleanupStale();
    String id = HexFormat.of().formatHex(randomBytes(3));
    String namespace = PREFIX + ProcessHandle.current().pid() + "-" + id;
    String subnet = freeSubnet();
    check(ip("netns", "add", namespace));
    NetnsRegistry registry = null;
    try {
      link(namespace, id, subnet);
      Files.createDirectories(dir);
      String address = subnet + ".2";
      Path config = RegistryFixture.writeConfig(dir, address + ":" + PORT, tls ? tlsConfig(dir, address) : "");
      Path log = dir.resolve("registry.log");
      Process process = new ProcessBuilder("ip", "netns", "exec", namespace,
          RegistryFixture.BINARY, "serve", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      registry = new NetnsRegistry(namespace, "imgh" + id, subnet, process, tls ? dir.resolve("cert.pem") : null);
      Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
      RegistryFixture.awaitReady(process, registry.baseUri(), log);
      return registry;
    } catch (Exception | Error e) {
      if (registry != null) {
        registry.close();
      } else {
        removeNamespace(namespace, "imgh" + id);
      }
      throw e;
    }
  }

  private static String tlsConfig(Path dir, String address) throws Exception {
    RegistryFixture.run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=" + address,
        "-addext", "subjectAltName=IP:" + address));
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, RegistryFixture.bcryptLine(RegistryFixture.USER, RegistryFixture.PASSWORD) + "\n"
        + RegistryFixture.bcryptLine(RegistryFixture.OTHER_USER, RegistryFixture.OTHER_PASSWORD) + "\n");
    return "  tls:\n    certificate: " + dir.resolve("cert.pem") + "\n    key: " + dir.resolve("key.pem") + "\n"
        + "auth:\n  htpasswd:\n    realm: imgtool-test\n    path: " + htpasswd + "\n";
  }

  /** The TLS registry's self-signed certificate (PEM), its own CA; null for plain HTTP. */
  public Path certificate() {
    return certificate;
  }

  /** The veth pair: host end with .1 in the default namespace, the other end with .2 inside. */
  private static void link(String namespace, String id, String subnet) {
    String hostEnd = "imgh" + id;
    String nsEnd = "imgn" + id;
    check(ip("link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd, "netns", namespace));
    check(ip("addr", "add", subnet + ".1/24", "dev", hostEnd));
    check(ip("link", "set", hostEnd, "up"));
    check(ip("-n", namespace, "addr", "add", subnet + ".2/24", "dev", nsEnd));
    check(ip("-n", namespace, "link", "set", nsEnd, "up"));
    check(ip("-n", namespace, "link", "set", "lo", "up"));
  }

  /** host:port as written in image names, e.g. {@code 10.231.77.2:5000}. */
  public String host() {
    return address() + ":" + PORT;
  }

  /** The registry's IP address inside the namespace, e.g. {@code 10.231.77.2}. */
  public String address() {
    return subnet + ".2";
  }

  /** The namespace's subnet in CIDR form, e.g. {@code 10.231.77.0/24}. */
  public String cidr() {
    return subnet + ".0/24";
  }

  public String namespace() {
    return namespace;
  }

  public URI baseUri() {
    return URI.create((certificate == null ? "http://" : "https://") + host());
  }

  /** Stops the registry and removes the veth pair and the namespace. */
  @Override
  public void close() {
    teardown();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; teardown is idempotent
    }
  }

  private synchronized void teardown() {
    if (closed) {
      return;
    }
    closed = true;
    // ip netns exec may run the registry as a child: stop the whole tree.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    removeNamespace(namespace, hostLink);
  }

  /**
   * Removes {@code imgtool-<pid>-<id>} namespaces whose test run (pid) is gone, with anything still
   * running in them and their veth pairs. Namespaces of live runs are left alone.
   */
  public static void cleanupStale() {
    Result list = ip("netns", "list");
    if (list.exitCode() != 0) {
      return;
    }
    for (String line : list.output().split("\n")) {
      Matcher m = OWN_NAMESPACE.matcher(line.strip().split("\\s+")[0]);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
        removeNamespace(m.group(), "imgh" + m.group(2));
      }
    }
  }

  /** Kills what runs inside, deletes the host veth end (which takes its peer) and the namespace. */
  private static void removeNamespace(String namespace, String hostLink) {
    Result pids = ip("netns", "pids", namespace);
    if (pids.exitCode() == 0) {
      for (String pid : pids.output().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    if (ip("link", "show", hostLink).exitCode() == 0) {
      ip("link", "delete", hostLink);
    }
    ip("netns", "delete", namespace);
  }

  /**
   * A 10.231.n.0/24 that no address or route on this host overlaps (or contains), so the new
   * route cannot capture traffic meant for anything else.
   */
  private static String freeSubnet() {
    List<int[]> taken = routedPrefixes();
    for (int attempt = 0; attempt < 50; attempt++) {
      int n = 1 + RANDOM.nextInt(254);
      int network = (10 << 24) | (231 << 16) | (n << 8);
      if (taken.stream().noneMatch(p -> overlaps(p[0], p[1], network, 24))) {
        return "10.231." + n;
      }
    }
    throw new IllegalStateException("no free 10.231.x.0/24 subnet: every candidate overlaps a route here");
  }

  /** Every IPv4 prefix in every routing table, as {address, length}; default routes excluded. */
  private static List<int[]> routedPrefixes() {
    List<int[]> result = new ArrayList<>();
    String routes = check(ip("-4", "-o", "route", "show", "table", "all"));
    String addresses = check(ip("-4", "-o", "addr", "show"));
    for (String line : (routes + "\n" + addresses).split("\n")) {
      String[] tokens = line.strip().split("\\s+");
      int start = tokens.length > 0 && tokens[0].matches("[a-z]+") && !tokens[0].equals("default") ? 1 : 0;
      if (tokens.length <= start) {
        continue;
      }
      Matcher m = IPV4_PREFIX.matcher(tokens[start]);
      if (m.matches()) {
        result.add(new int[] {ipv4(m.group(1)), m.group(2) == null ? 32 : Integer.parseInt(m.group(2))});
      }
      Matcher inet = INET.matcher(line);
      if (inet.find()) {
        result.add(new int[] {ipv4(inet.group(1)), Integer.parseInt(inet.group(2))});
      }
    }
    return result;
  }

  private static boolean overlaps(int a, int aLength, int b, int bLength) {
    int shorter = Math.min(aLength, bLength);
    int mask = shorter == 0 ? 0 : -1 << (32 - shorter);
    return (a & mask) == (b & mask);
  }

  private static int ipv4(String dotted) {
    int value = 0;
    for (String part : dotted.split("\\.")) {
      value = (value << 8) | Integer.parseInt(part);
    }
    return value;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private record Result(List<String> command, int exitCode, String output) {}

  private static Result ip(String... arguments) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    return command(command);
  }

  private static Result command(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(command, -1, "timed out");
      }
      return new Result(command, p.exitValue(), output);
    } catch (IOException e) {
      return new Result(command, -1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(command, -1, "interrupted");
    }
  }

  private static String check(Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", result.command()) + " failed: " + result.output().strip());
    }
    return result.output();
  }
}
