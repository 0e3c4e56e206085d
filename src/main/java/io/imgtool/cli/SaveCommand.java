package io.imgtool.cli;

import io.imgtool.image.Platform;
import io.imgtool.images.ImageSave;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "save", description = "Save images to a tar that docker load, podman load and skopeo"
    + " (docker-archive: and oci-archive:) read, like docker save.")
final class SaveCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Save only this platform's image of multi-platform images (default: every platform).")
  String platform;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Local images: names, image IDs or ID prefixes.")
  List<String> images;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    if (output == null && Terminal.isTerminal(1)) {
      throw new UsageException("refusing to write an archive to a terminal; use -o FILE or redirect standard output");
    }
    Platform only = platform == null ? null : Platforms.parse(platform);
    ImageSave.run(session.workspace(), images, only, output, session.environment().stdout(),
        Settings.DEFAULT_CONCURRENT_UPLOADS);
    return 0;
  }
}
