package io.imgtool.registry.it;

import io.imgtool.registry.it.ForeignImages.BuildahImages;
import io.imgtool.registry.it.ForeignImages.ForeignImage;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@link ForeignImages#buildah}: what a user does with buildah as root, step by step, in a
 * storage of the test's own, which is emptied and unmounted afterwards (the images stay in the
 * registry).
 */
final class BuildahSteps {
  private final RegistryFixture registry;
  private final Path storage;

  BuildahSteps(RegistryFixture registry, Path storage) {
    this.registry = registry;
    this.storage = storage;
  }

  BuildahImages build(String repository) throws Exception {
    Judges.require("buildah", "setcap", "setfattr");
    Judges.requireRoot();
    try {
      String local = "localhost/" + repository.replace('/', '-');
      String first = from("scratch");
      writeFirstLayer(mount(first));
      commit(first, local + ":base");
      String second = from(local + ":base");
      writeSecondLayer(mount(second));
      commit(second, local + ":latest");
      return new BuildahImages(push(local, repository, "oci"), push(local, repository, "docker"));
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  /**
   * A linux/amd64 and a linux/arm64 image from scratch, one file each, put in a list by {@code
   * buildah manifest} and pushed with every image ({@code --all}) as {@code repository:1}.
   */
  ForeignImage buildIndex(String repository) throws Exception {
    Judges.require("buildah");
    Judges.requireRoot();
    try {
      String local = "localhost/" + repository.replace('/', '-');
      buildah("manifest", "create", local + ":list");
      for (String architecture : java.util.List.of("amd64", "arm64")) {
        String container = from("scratch");
        Files.writeString(mount(container).resolve("arch"), architecture + "\n");
        buildah("config", "--os", "linux", "--arch", architecture, container);
        commit(container, local + ":" + architecture);
        buildah("manifest", "add", local + ":list", "containers-storage:" + local + ":" + architecture);
      }
      Path digestFile = storage.resolve("digest-list");
      String reference = registry.registry() + "/" + repository + ":1";
      buildah("manifest", "push", "--all", "--signature-policy", policy(), "--tls-verify=false",
          "--digestfile", digestFile.toString(), local + ":list", "docker://" + reference);
      return served(reference, repository, "1", Files.readString(digestFile).strip());
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  private static void writeFirstLayer(Path root) throws Exception {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("/bin/true"), bin.resolve("true"), StandardCopyOption.COPY_ATTRIBUTES);
    Tools.run(Judges.command("setcap"), "cap_net_raw=+ep", bin.resolve("true").toString()).orFail();
    Path etc = Files.createDirectories(root.resolve("etc"));
    Files.writeString(etc.resolve("a"), "hard-linked pair\n");
    Files.createLink(etc.resolve("b"), etc.resolve("a"));
    Tools.run(Judges.command("setfattr"), "-n", "user.bin", "-v", "0xff0080616263", etc.resolve("a").toString()).orFail();
    Files.writeString(etc.resolve("gone"), "deleted by the second layer\n");
    Path ro = Files.createDirectories(root.resolve("ro"));
    Files.writeString(ro.resolve("f"), "inside a read-only directory\n");
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../../etc/passwd"));
  }

  private static void writeSecondLayer(Path root) throws Exception {
    Files.delete(root.resolve("etc/gone"));
    Files.writeString(root.resolve("etc/added"), "added by the second layer\n");
  }

  private String from(String image) throws Exception {
    return lastLine(buildah("from", "--signature-policy", policy(), image));
  }

  private Path mount(String container) throws Exception {
    return Path.of(lastLine(buildah("mount", container)));
  }

  private void commit(String container, String image) throws Exception {
    buildah("commit", "--signature-policy", policy(), "--quiet", container, image);
    buildah("rm", container);
  }

  /** buildah push, converting to {@code format}, tagged {@code repository:format}; the digest from --digestfile. */
  private ForeignImage push(String local, String repository, String format) throws Exception {
    Path digestFile = storage.resolve("digest-" + format);
    String reference = registry.registry() + "/" + repository + ":" + format;
    buildah("push", "--signature-policy", policy(), "--tls-verify=false", "--format", format,
        "--digestfile", digestFile.toString(), local + ":latest", "docker://" + reference);
    return served(reference, repository, format, Files.readString(digestFile).strip());
  }

  /** What the registry serves for what buildah says it pushed, which must be the same. */
  private ForeignImage served(String reference, String repository, String tag, String digest) throws Exception {
    RegistryFixture.RawManifest served = registry.getManifest(repository, tag);
    if (!digest.equals(served.digest())) {
      throw new IllegalStateException("buildah pushed " + digest + " but the registry serves " + served.digest());
    }
    return new ForeignImage(reference, digest, served.bytes());
  }

  private String buildah(String... args) throws Exception {
    return Judges.buildah(storage, args).orFail().out();
  }

  private String policy() throws Exception {
    return Judges.signaturePolicy(storage).toString();
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
