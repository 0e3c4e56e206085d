package io.imgtool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The tools that are not ours and that judge what imgtool writes: podman and buildah (which
 * apply layers as containers/storage does, on overlayfs), umoci, skopeo, and containerd (see
 * {@link Containerd}). A test asks for its judges with {@link #require}: on a developer's machine
 * a missing judge skips the test, under CI ({@code CI=true}) it fails it, so that a green CI run
 * means the judges ran.
 *
 * <p>podman and buildah get a storage directory of the test's own (see {@link ContainersStorage}):
 * never the machine's /var/lib/containers nor its /etc/containers. {@link #cleanStorage} removes
 * what they left mounted there, so that {@code @TempDir} can delete it.
 */
public final class Judges {
  /** The Debian package that provides each judge, for the message that says what to install. */
  private static final Map<String, String> PACKAGES = Map.ofEntries(
      Map.entry("podman", "podman"), Map.entry("buildah", "buildah"),
      Map.entry("containerd", "containerd"), Map.entry("ctr", "containerd"),
      Map.entry("containerd-shim-runc-v2", "containerd"), Map.entry("runc", "runc"),
      Map.entry("skopeo", "skopeo"), Map.entry("umoci", "umoci"),
      Map.entry("docker-registry", "docker-registry"), Map.entry("fuse-overlayfs", "fuse-overlayfs"),
      Map.entry("newuidmap", "uidmap"), Map.entry("getfattr", "attr"), Map.entry("setfattr", "attr"),
      Map.entry("setcap", "libcap2-bin"), Map.entry("getcap", "libcap2-bin"),
      Map.entry("busybox", "busybox-static"), Map.entry("tar", "tar"), Map.entry("xz", "xz-utils"),
      Map.entry("bsdtar", "libarchive-tools"), Map.entry("python3", "python3"), Map.entry("setpriv", "util-linux"),
      Map.entry("zstd", "zstd"), Map.entry("pigz", "pigz"), Map.entry("curl", "curl"), Map.entry("ip", "iproute2"),
      Map.entry("tmux", "tmux"));
  /** runc, setcap and getcap live in sbin, which a non-login PATH may lack. */
  private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  private Judges() {}

  /** Skips the test (fails it under CI) for each of {@code tools} that is not installed. */
  public static void require(String... tools) {
    for (String tool : tools) {
      if (which(tool).isEmpty()) {
        missing(tool + " is not installed (Debian package " + PACKAGES.getOrDefault(tool, tool)
            + "; scripts/install-test-deps installs it)");
      }
    }
  }

  /** Skips the test (fails it under CI) unless it runs as root, as containerd and overlay mounts need. */
  public static void requireRoot() {
    if (!isRoot()) {
      missing("this judge needs root (overlay mounts, containerd, file owners and security.* xattrs)");
    }
  }

  /** Skips the test (fails it under CI) unless {@code condition} holds; {@code why} says what is missing. */
  public static void requireThat(boolean condition, String why) {
    if (!condition) {
      missing(why);
    }
  }

  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void missing(String why) {
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail("CI=true, so a missing judge fails the test: " + why);
    }
    Assumptions.assumeTrue(false, why);
  }

  /** Where {@code tool} is: on PATH, else in an sbin directory. */
  public static Optional<Path> which(String tool) {
    return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")), SBIN.stream())
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, tool))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The absolute path of {@code tool} when found, else its bare name (and the command will say). */
  public static String command(String tool) {
    return which(tool).map(Path::toString).orElse(tool);
  }

  // ---- podman and buildah, each on a storage directory of the test's own

  /** Any podman command on {@code storage} (global flags and configuration supplied). */
  public static Tools.Result podman(Path storage, String... args) throws IOException, InterruptedException {
    ContainersStorage containers = ContainersStorage.in(storage);
    return Tools.run(containers.environment(), containers.podman(args));
  }

  /** Any buildah command on {@code storage}; {@link #signaturePolicy} for its from, commit and push. */
  public static Tools.Result buildah(Path storage, String... args) throws IOException, InterruptedException {
    ContainersStorage containers = ContainersStorage.in(storage);
    return Tools.run(containers.environment(), containers.buildah(args));
  }

  /** The accept-anything policy.json of {@code storage}, for the --signature-policy of buildah and podman. */
  public static Path signaturePolicy(Path storage) throws IOException {
    return ContainersStorage.in(storage).signaturePolicy();
  }

  /**
   * {@code podman pull} of {@code ref} (host:port/name:tag or @digest) over plain HTTP into
   * {@code storage}, applying each layer into its own overlay directory; the verdict is the result.
   */
  public static Tools.Result podmanPull(Path storage, String ref) throws IOException, InterruptedException {
    return podman(storage, "pull", "--signature-policy", signaturePolicy(storage).toString(), "--tls-verify=false", ref);
  }

  /** {@code buildah pull}, the same library as podman's but its own command line and defaults. */
  public static Tools.Result buildahPull(Path storage, String ref) throws IOException, InterruptedException {
    return buildah(storage, "pull", "--signature-policy", signaturePolicy(storage).toString(), "--tls-verify=false", ref);
  }

  /**
   * The root filesystem podman made of a pulled image: {@code podman image mount}, a read-only
   * overlay of the layers exactly as containers/storage applied them; to be read (with
   * {@link FsTree}) before {@link #cleanStorage}.
   */
  public static Path podmanMount(Path storage, String ref) throws IOException, InterruptedException {
    return Path.of(podman(storage, "image", "mount", ref).orFail().out().strip());
  }

  /**
   * Leaves {@code storage} deletable: unmounts images, removes containers and images with the
   * tools that are installed, then unmounts whatever is still mounted under it (the overlay
   * driver keeps its home bind-mounted while it has layers), and deletes the runroot, which is
   * outside it.
   */
  public static void cleanStorage(Path storage) throws IOException, InterruptedException {
    if (!Files.isDirectory(storage)) {
      return;
    }
    if (which("podman").isPresent()) {
      podman(storage, "image", "unmount", "--all", "--force");
      podman(storage, "rm", "--all", "--force");
      podman(storage, "rmi", "--all", "--force");
    }
    if (which("buildah").isPresent()) {
      buildah(storage, "rm", "--all");
      buildah(storage, "rmi", "--all", "--force");
    }
    Mounts.unmountAll(storage);
    ContainersStorage.in(storage).deleteRunRoot();
  }

  // ---- umoci and skopeo

  /**
   * {@code umoci unpack} of {@code layout:ref} into {@code bundle} (rootfs in bundle/rootfs), as
   * root, not --rootless, so that owners and xattrs are applied (umoci 0.4.7 applies
   * security.capability and binary user.* values).
   */
  public static Tools.Result umociUnpack(Path layout, String ref, Path bundle) throws IOException, InterruptedException {
    requireRoot();
    return Tools.run(command("umoci"), "unpack", "--image", layout + ":" + ref, bundle.toString());
  }

  /** The exact manifest bytes the registry serves for {@code dockerRef} (host:port/name:tag), as skopeo reads them. */
  public static byte[] skopeoRaw(String dockerRef) throws IOException, InterruptedException {
    return Tools.output(command("skopeo"), "inspect", "--raw", "--tls-verify=false", docker(dockerRef));
  }

  /**
   * {@code skopeo copy SRC DEST} (transport:reference, e.g. docker://… or oci:DIR:TAG) without
   * TLS verification and without the machine's policy.json.
   */
  public static Tools.Result skopeoCopy(String src, String dest) throws IOException, InterruptedException {
    return Tools.run(command("skopeo"), "--insecure-policy", "copy", "--src-tls-verify=false",
        "--dest-tls-verify=false", src, dest);
  }

  private static String docker(String ref) {
    return ref.startsWith("docker://") ? ref : "docker://" + ref;
  }
}
