package io.imgtool.cli;

import io.imgtool.mutate.Committed;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.PullResult;
import io.imgtool.registry.Puller;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.Staging;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "pull", description = "Pull an image from a registry into the store. Prints NAME@sha256:...")
final class PullCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = "--jobs", paramLabel = "N", description = "Blobs downloaded at once (default: 4).")
  Integer jobs;

  @Parameters(paramLabel = "NAME", description = "e.g. ubuntu:22.04, host:5000/repo:tag, repo@sha256:...")
  String name;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ImageReference reference = ImageReference.parse(name);
    Set<String> insecure = registry.forRegistry(reference.registry());
    int parallel = Counts.check("--jobs", jobs, 1, 64, Settings.DEFAULT_CONCURRENT_UPLOADS);
    Puller puller = new Puller(session.registries(insecure), parallel, RetryPolicy.defaults(),
        session.transferProgress());
    PullResult result;
    try (Staging staging = session.store().stage()) {
      result = puller.pull(reference, Platforms.parse(platform), new StorePullTarget(staging));
      Committed image = new Committed(result.manifest(), result.config());
      // A name with a digest only is stored untagged, as docker pull repo@sha256:... does.
      ImageReference tagName = reference.tag() == null ? null : reference.withTag(reference.tag());
      NewImages.store(staging, image, tagName, reference.name());
    }
    session.out().println(reference.familiarRepository()
        + (reference.tag() != null ? ":" + reference.tag() : "") + "@" + result.digest());
    return 0;
  }
}
