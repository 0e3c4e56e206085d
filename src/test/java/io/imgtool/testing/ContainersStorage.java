package io.imgtool.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One test's own containers/storage for podman and buildah, under a directory of its own, with
 * its own configuration files, so that a judge never reads the machine's /etc/containers nor
 * touches /var/lib/containers, and behaves the same on a fresh Debian as on a developer's
 * machine with a tuned storage.conf:
 *
 * <ul>
 *   <li>storage.conf: the kernel overlay driver, no mount_program (fuse-overlayfs would hide how
 *       a Kubernetes node applies layers), graphroot in this directory (podman 4.3 refuses to
 *       start without a runroot in the file, whatever its flags say); the runroot is a short
 *       path in /tmp named after this directory, because podman refuses a runroot longer than
 *       50 characters, which a JUnit temporary directory is;
 *   <li>registries.conf: no search registries, so a short name can never reach a public one;
 *   <li>policy.json: accept anything, passed with --signature-policy (no variable points to it);
 *   <li>containers.conf: cgroupfs, no event log, libpod's temporary files here (not /run/libpod);
 *   <li>auth.json: an empty place for credentials, not root's /run/containers/0/auth.json.
 * </ul>
 */
final class ContainersStorage {
  private final Path dir;

  private ContainersStorage(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The storage in {@code dir}, its configuration written on first use. */
  static ContainersStorage in(Path dir) throws IOException {
    ContainersStorage storage = new ContainersStorage(dir);
    storage.writeConfiguration();
    return storage;
  }

  /** Deletes the runroot, which lives outside the test's directory; after the tools are done with it. */
  void deleteRunRoot() throws IOException, InterruptedException {
    Mounts.unmountAll(runRoot());
    if (Files.exists(runRoot())) {
      try (Stream<Path> paths = Files.walk(runRoot())) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  Path graphRoot() {
    return dir.resolve("root");
  }

  Path signaturePolicy() {
    return conf("policy.json");
  }

  Map<String, String> environment() {
    return Map.of(
        "CONTAINERS_STORAGE_CONF", conf("storage.conf").toString(),
        "CONTAINERS_REGISTRIES_CONF", conf("registries.conf").toString(),
        "CONTAINERS_CONF", conf("containers.conf").toString(),
        "REGISTRY_AUTH_FILE", conf("auth.json").toString());
  }

  /** podman with this storage; the flags repeat the files so that a failing command explains itself. */
  List<String> podman(String... args) {
    List<String> command = new ArrayList<>(List.of(Judges.command("podman"),
        "--root", graphRoot().toString(), "--runroot", runRoot().toString(), "--storage-driver", "overlay",
        "--tmpdir", dir.resolve("tmp").toString(), "--events-backend", "none", "--cgroup-manager", "cgroupfs"));
    command.addAll(List.of(args));
    return command;
  }

  List<String> buildah(String... args) {
    List<String> command = new ArrayList<>(List.of(Judges.command("buildah"),
        "--root", graphRoot().toString(), "--runroot", runRoot().toString(), "--storage-driver", "overlay"));
    command.addAll(List.of(args));
    return command;
  }

  /** /tmp/judges-run-HASH: short, and the same for every command on this storage. */
  Path runRoot() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
      return Path.of("/tmp", "judges-run-" + HexFormat.of().formatHex(hash, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path conf(String name) {
    return dir.resolve("conf").resolve(name);
  }

  private void writeConfiguration() throws IOException {
    if (Files.exists(conf("storage.conf"))) {
      return;
    }
    Files.createDirectories(conf(""));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(conf("storage.conf"), "[storage]\ndriver = \"overlay\"\n"
        + "graphroot = \"" + graphRoot() + "\"\nrunroot = \"" + runRoot() + "\"\n");
    Files.writeString(conf("registries.conf"), "unqualified-search-registries = []\n");
    Files.writeString(conf("policy.json"), "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}\n");
    Files.writeString(conf("containers.conf"), "[engine]\ncgroup_manager = \"cgroupfs\"\n"
        + "events_logger = \"none\"\ntmp_dir = \"" + dir.resolve("tmp") + "\"\n");
    Files.writeString(conf("auth.json"), "{\"auths\": {}}\n");
  }
}
