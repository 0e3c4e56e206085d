package io.imgtool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A containerd of the test's own, as a Kubernetes node runs images: {@link #pull} unpacks with the
 * overlayfs snapshotter, {@link #run} starts a real container with runc. Its root, state, log and
 * socket are in the given directory (the socket path is the test's own, so another test's or the
 * machine's containerd is never talked to); {@link #close} stops it and unmounts what it left, so
 * the directory can be deleted. Needs root, containerd, ctr and runc ({@link #requireJudges}).
 */
public final class Containerd implements AutoCloseable {
  /** Unix socket paths are limited to 108 bytes; containerd adds ".ttrpc" to the gRPC socket's. */
  private static final int MAX_SOCKET_PATH = 100;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger CONTAINERS = new AtomicInteger();

  private final Path dir;
  private final Path socket;
  private final Process process;
  private Duration startupTime;

  private Containerd(Path dir, Path socket, Process process) {
    this.dir = dir;
    this.socket = socket;
    this.process = process;
  }

  /** Skips the test (fails it under CI) unless containerd can be run here. */
  public static void requireJudges() {
    Judges.require("containerd", "ctr", "containerd-shim-runc-v2", "runc");
    Judges.requireRoot();
  }

  /** Starts containerd in {@code dir} (created if needed) and waits until ctr gets an answer. */
  public static Containerd start(Path dir) throws IOException, InterruptedException {
    requireJudges();
    Path home = Files.createDirectories(dir).toAbsolutePath().normalize();
    Path socket = home.resolve("containerd.sock");
    if (socket.toString().length() > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("socket path too long for a unix socket, use a shorter directory: " + socket);
    }
    refuseAnotherInstance(socket);
    Path config = writeConfig(home, socket);
    Instant started = Instant.now();
    ProcessBuilder builder = new ProcessBuilder(Judges.command("containerd"), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(home.resolve("containerd.log").toFile());
    // The runc shim finds runc on PATH, and runc is in /usr/sbin, which a non-login PATH may lack.
    builder.environment().merge("PATH", ":/usr/local/sbin:/usr/sbin:/sbin", String::concat);
    Containerd containerd = new Containerd(home, socket, builder.start());
    try {
      containerd.awaitAnswer(started);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      containerd.close();
      throw e;
    }
    return containerd;
  }

  /**
   * A socket left in the directory would let ctr answer before this containerd listens: a stale
   * one is removed, a live one (another test's containerd in the same directory) is refused.
   */
  private static void refuseAnotherInstance(Path socket) throws IOException, InterruptedException {
    if (!Files.exists(socket)) {
      return;
    }
    if (Tools.run(Judges.command("ctr"), "--address", socket.toString(), "version").exit() == 0) {
      throw new IllegalStateException("another containerd already serves " + socket);
    }
    Files.delete(socket);
  }

  /**
   * The smallest configuration that still has what a node uses to run an image: the overlayfs
   * snapshotter, the runc v2 runtime (whose task service also needs the v1 runtime plugin
   * loaded). CRI (and with it CNI), the other snapshotters, /opt plugins and tracing are off:
   * they are not judges, and CRI alone would make start-up slower and noisier.
   */
  private static Path writeConfig(Path home, Path socket) throws IOException {
    String config = "version = 2\n"
        + "root = \"" + home.resolve("root") + "\"\n"
        + "state = \"" + home.resolve("state") + "\"\n"
        + "disabled_plugins = [\"io.containerd.grpc.v1.cri\", \"io.containerd.snapshotter.v1.aufs\",\n"
        + "  \"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.devmapper\",\n"
        + "  \"io.containerd.snapshotter.v1.zfs\", \"io.containerd.internal.v1.opt\",\n"
        + "  \"io.containerd.tracing.processor.v1.otlp\", \"io.containerd.internal.v1.tracing\"]\n"
        + "[grpc]\n  address = \"" + socket + "\"\n";
    Path file = home.resolve("config.toml");
    Files.writeString(file, config);
    return file;
  }

  private void awaitAnswer(Instant started) throws IOException, InterruptedException {
    Instant deadline = started.plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("containerd exited (" + process.exitValue() + "): " + log());
      }
      if (Files.exists(socket) && ctr("version").exit() == 0) {
        startupTime = Duration.between(started, Instant.now());
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("containerd did not answer within " + START_TIMEOUT + ": " + log());
  }

  /** From starting the process to the first answer of {@code ctr version}. */
  public Duration startupTime() {
    return startupTime;
  }

  public Path socket() {
    return socket;
  }

  /** containerd's own log, for assertion messages. */
  public String log() throws IOException {
    Path log = dir.resolve("containerd.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Any ctr command against this containerd. */
  public Tools.Result ctr(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Judges.command("ctr"), "--address", socket.toString()));
    command.addAll(List.of(args));
    return Tools.run(Map.of(), command);
  }

  /** {@code ctr images pull --plain-http}: fetches this platform's image and unpacks it with overlayfs. */
  public Tools.Result pull(String ref) throws IOException, InterruptedException {
    return ctr("images", "pull", "--plain-http", "--snapshotter", "overlayfs", ref);
  }

  /**
   * Runs {@code command} in a new container of the pulled {@code ref} (runc, overlayfs), removes
   * the container, and returns what it printed on stdout; fails when it exits non-zero.
   */
  public String run(String ref, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("run", "--rm", "--snapshotter", "overlayfs", ref, uniqueId()));
    args.addAll(List.of(command));
    return ctr(args.toArray(String[]::new)).orFail().out();
  }

  /** runc keeps its state in /run/containerd/runc/NAMESPACE whatever the root: ids must not collide across instances. */
  private static String uniqueId() {
    return "judge-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + CONTAINERS.incrementAndGet();
  }

  /** Kills what still runs, stops containerd, and unmounts what is left under its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (process.isAlive() && startupTime != null) {
        removeContainers();
      }
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      Mounts.unmountAll(dir);
    }
  }

  /** A task left running keeps its shim (and its rootfs mount) alive after containerd exits. */
  private void removeContainers() throws IOException, InterruptedException {
    for (String id : ctr("tasks", "ls", "--quiet").out().lines().toList()) {
      ctr("tasks", "kill", "--signal", "SIGKILL", id);
      ctr("tasks", "delete", "--force", id);
    }
    for (String id : ctr("containers", "ls", "--quiet").out().lines().toList()) {
      ctr("containers", "delete", id);
    }
  }
}
