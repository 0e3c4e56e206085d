package io.imgtool.cli;

import io.imgtool.image.Digest;
import io.imgtool.images.CommitRequest;
import io.imgtool.images.ImageCommit;
import io.imgtool.images.LayerSource;
import io.imgtool.name.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "commit",
    description = "Create a new image from BASE plus new layers, like docker commit. Prints the image ID.")
final class CommitCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin BuildOptions build;
  @Mixin RegistryOptions registry;

  @Option(names = "--layer", paramLabel = "FILE",
      description = "A tar changeset in OCI layer format (plain, gzip or zstd); repeatable, applied in order.")
  List<String> layers = new ArrayList<>();

  @Option(names = "--rootfs", paramLabel = "DIR",
      description = "An edited root filesystem: its difference from BASE (additions, changes, deletions)"
          + " becomes the new layer, as a container's changes do in docker commit.")
  Path rootfs;

  @Option(names = {"-a", "--author"}, paramLabel = "AUTHOR", description = "Author recorded in the image.")
  String author;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform registry BASE, or to record for scratch"
          + " (default: this machine's).")
  String platform;

  @Parameters(index = "0", paramLabel = "BASE",
      description = "Base image: a local name or image ID, a registry image (only its manifest and"
          + " config are fetched), or scratch.")
  String base;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
      description = "Name for the new image (default: untagged).")
  String name;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ImageReference reference = name == null ? null : ImageReference.parse(name);
    List<LayerSource> inputs = new ArrayList<>();
    for (String layer : layers) {
      inputs.add(LayerInput.of(layer, session.environment()));
    }
    CommitRequest request = new CommitRequest(base, Platforms.parse(platform), rootfs, inputs,
        build.settings(session.environment(), author), reference);
    try (ResultFile iidFile = build.prepareIidFile()) {
      Digest id = ImageCommit.run(session.workspace(registry.forImage(base)), request);
      ResultFile.write(iidFile, id.toString());
      session.out().println(id);
    }
    return 0;
  }
}
