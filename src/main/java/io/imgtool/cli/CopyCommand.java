package io.imgtool.cli;

import io.imgtool.images.ImageCopy;
import io.imgtool.images.Pushed;
import io.imgtool.name.ImageReference;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "copy", description = "Copy an image between registries, layouts and archives without the store,"
    + " like skopeo copy; digests are kept. Prints DEST@sha256:...")
final class CopyCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to copy from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = {"-a", "--all-platforms"},
      description = "Copy a multi-platform image whole: every platform and its index.")
  boolean allPlatforms;

  @Option(names = "--jobs", paramLabel = "N",
      description = "Blobs copied at once (default: the settings' max-concurrent-uploads, else 4).")
  Integer jobs;

  @Option(names = "--retries", paramLabel = "N", description = "Retries of a failed request, then of its blob (default: 4).")
  Integer retries;

  @Option(names = "--digestfile", paramLabel = "FILE", description = "Write the copied manifest's digest to FILE.")
  Path digestFile;

  @Parameters(index = "0", paramLabel = "SRC", description = "A registry image (docker:// optional), oci:DIR[:REF],"
      + " oci-archive:FILE[:REF] or docker-archive:FILE[:NAME].")
  String source;

  @Parameters(index = "1", paramLabel = "DEST", description = "The same kinds of places.")
  String destination;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    int retryCount = retries == null ? -1 : Counts.check("--retries", retries, 0, 20, 0);
    int parallel = Counts.check("--jobs", jobs, 1, 64, session.settings().maxConcurrentUploads());
    Set<String> insecure = new HashSet<>(registry.forImage(source));
    insecure.addAll(registry.forImage(destination));
    try (ResultFile file = ResultFile.prepare(digestFile)) {
      Pushed copied = ImageCopy.run(session.workspace(insecure), new ImageCopy.CopyRequest(source, destination,
          Platforms.parse(platform), allPlatforms, parallel, retryCount));
      ResultFile.write(file, copied.digest().toString());
      ImageReference target = copied.target();
      session.out().println((target == null ? copied.location() : target.familiarRepository()) + "@" + copied.digest());
    }
    return 0;
  }
}
