package io.imgtool.cli;

import io.imgtool.images.ImageDiff;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "diff",
    description = "Show what commit --rootfs DIR BASE would record: A (added), C (changed), D (deleted) lines, as docker diff.")
final class DiffCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform registry BASE (default: this machine's).")
  String platform;

  @Parameters(index = "0", paramLabel = "BASE", description = "A local image, a registry image, or scratch.")
  String base;

  @Parameters(index = "1", paramLabel = "DIR", description = "The edited root filesystem.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ImageDiff.run(session.workspace(registry.forImage(base)), base, Platforms.parse(platform), dir)
        .forEach(session.out()::println);
    return 0;
  }
}
