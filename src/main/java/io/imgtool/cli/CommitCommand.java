package io.imgtool.cli;

import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.Platform;
import io.imgtool.mutate.Commit;
import io.imgtool.mutate.Committed;
import io.imgtool.mutate.Instructions;
import io.imgtool.mutate.NewLayer;
import io.imgtool.name.ImageReference;
import io.imgtool.store.Staging;
import io.imgtool.layer.RootfsDiff;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    Platform platform = Platforms.parse(this.platform);
    List<LayerInput> inputs = layers.stream().map(LayerInput::of).toList();
    var options = build.commitOptions(session.environment(), author);
    Instructions.parse(build.changes); // a bad -c fails before any layer is built
    if (rootfs != null) {
      RootfsInput.checkDirectory(rootfs);
    }
    BaseImage base = BaseImage.resolve(this.base, platform, registry.forImage(this.base), session);
    Image image = base.image();
    RootfsDiff diff = rootfs == null ? null : RootfsDiff.of(image, rootfs, session.diffCache());
    Format format = build.format != null ? build.format
        : image == null ? Format.OCI : image.manifest().format();
    build.checkCompatible(format);
    Committed committed;
    try (Staging staging = session.store().stage()) {
      StagedLayers staged = new StagedLayers(staging, build, session);
      List<NewLayer> newLayers = new ArrayList<>();
      if (diff != null && !diff.isEmpty()) {
        Instant clamp = Timestamps.fixed(build.timestamp, session.environment()).orElse(null);
        newLayers.add(staged.add(diff, rootfs, clamp, format, "imgtool commit --rootfs " + rootfs.getFileName()));
      }
      for (LayerInput input : inputs) {
        newLayers.add(staged.add(input, format, "imgtool commit --layer " + input.displayName()));
      }
      committed = Commit.apply(image, platform, newLayers, options.withFormat(format));
      NewImages.store(staging, committed, reference, base.source());
    }
    NewImages.writeIidFile(build.iidFile, committed);
    session.out().println(committed.id());
    return 0;
  }
}
