package io.imgtool.cli;

import io.imgtool.images.ImagePull;
import io.imgtool.images.ImagePullAllTags;
import io.imgtool.images.Pulled;
import io.imgtool.name.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "pull", description = "Pull an image from a registry into the store, like docker pull. Prints"
    + " REPOSITORY@sha256:... (the digest the registry holds it under, as push prints it). On a local image"
    + " committed on a registry base, fetches the base layers the store lacks.")
final class PullCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = "--all-platforms",
      description = "Keep a multi-platform image whole: every platform and its index, as one image of the store.")
  boolean allPlatforms;

  @Option(names = "--jobs", paramLabel = "N", description = "Blobs downloaded at once (default: 4).")
  Integer jobs;

  @Option(names = {"-a", "--all-tags"}, description = "Pull every tag the registry lists for the repository NAME.")
  boolean allTags;

  @Parameters(paramLabel = "NAME", description = "e.g. ubuntu:22.04, host:5000/repo:tag, repo@sha256:..., or an"
      + " archive or layout: oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME]")
  String name;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    int parallel = Counts.check("--jobs", jobs, 1, 64, Settings.DEFAULT_CONCURRENT_UPLOADS);
    if (allTags) {
      for (Pulled pulled : ImagePullAllTags.run(session.workspace(registry.forImage(name)), name,
          Platforms.parse(platform), parallel)) {
        print(session, pulled);
      }
      return 0;
    }
    Pulled pulled = ImagePull.run(session.workspace(registry.forImage(name)), name, Platforms.parse(platform),
        parallel, allPlatforms);
    print(session, pulled);
    return 0;
  }

  /** The repository digest, as push prints it: {@code host/repo@sha256:…}; an archive's image, by where it is. */
  private static void print(Session session, Pulled pulled) {
    ImageReference reference = pulled.reference();
    String where = reference == null ? pulled.location() : reference.familiarRepository();
    session.out().println(where + "@" + pulled.digest());
  }
}
