package io.imgtool.cli;

import io.imgtool.image.Digest;
import io.imgtool.images.ImageImport;
import io.imgtool.images.Workspace;
import io.imgtool.name.ImageReference;
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
    Workspace workspace = session.workspace();
    try (ResultFile iidFile = build.prepareIidFile()) {
      Digest id = ImageImport.run(workspace, LayerInput.of(file, session.environment()), Platforms.parse(platform),
          build.settings(session.environment(), author), reference);
      ResultFile.write(iidFile, id.toString());
      session.out().println(id);
    }
    return 0;
  }
}
