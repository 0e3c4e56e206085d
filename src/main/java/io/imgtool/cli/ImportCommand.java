package io.imgtool.cli;

import io.imgtool.image.Format;
import io.imgtool.image.Platform;
import io.imgtool.mutate.Committed;
import io.imgtool.mutate.Import;
import io.imgtool.mutate.Instructions;
import io.imgtool.mutate.NewLayer;
import io.imgtool.name.ImageReference;
import io.imgtool.store.Staging;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Create a base image from a root filesystem tarball, like docker import.")
final class ImportCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin BuildOptions build;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform recorded in the image (default: this machine's).")
  String platform;

  @Option(names = {"-a", "--author"}, paramLabel = "AUTHOR", description = "Author recorded in the image.")
  String author;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "Tarball (plain, gzip or zstd), or - for stdin.")
  String file;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Name for the image.")
  String name;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ImageReference reference = name == null ? null : ImageReference.parse(name);
    Platform target = Platforms.parse(platform);
    Format format = build.format == null ? Format.OCI : build.format;
    build.checkCompatible(format);
    LayerInput input = LayerInput.of(file);
    var options = build.commitOptions(session.environment(), author);
    Instructions.parse(build.changes); // a bad -c fails before the layer is built
    Committed image;
    try (Staging staging = session.store().stage()) {
      NewLayer layer = new StagedLayers(staging, build, session).add(input, format, null);
      image = Import.apply(target, layer, input.path() == null ? "-" : input.displayName(), options);
      NewImages.store(staging, image, reference, null);
    }
    NewImages.writeIidFile(build.iidFile, image);
    session.out().println(image.id());
    return 0;
  }
}
