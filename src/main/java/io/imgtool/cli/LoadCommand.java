package io.imgtool.cli;

import io.imgtool.images.ImageLoad;
import io.imgtool.images.ImageLoad.Loaded;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "load", description = "Load the images of an archive (docker save, old or new; an OCI layout"
    + " tar; plain, gzip or zstd) into the store, like docker load.")
final class LoadCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read FILE instead of standard input.")
  Path input;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Load only this platform's image of multi-platform images (default: every platform).")
  String platform;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    if (input == null && Terminal.isTerminal(0)) {
      throw new UsageException("no archive on standard input, which is a terminal; use -i FILE or redirect it");
    }
    List<Loaded> loaded = ImageLoad.run(session.workspace(), input, session.environment().stdin(),
        platform == null ? null : Platforms.parse(platform));
    for (Loaded image : loaded) {
      session.out().println(image.name() != null ? "Loaded image: " + image.name().familiar()
          : "Loaded image ID: " + image.id());
    }
    return 0;
  }
}
