package io.imgtool.cli;

import io.imgtool.images.ImageUnpack;
import io.imgtool.images.ImageUnpack.Unpacked;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "unpack",
    description = "Write an image's root filesystem (its layers applied in order) into DIR, which must be new or empty.")
final class UnpackCommand implements Callable<Integer> {
  private static final int LISTED = 5;

  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick from a multi-platform registry image (default: this machine's).")
  String platform;

  @Parameters(index = "0", paramLabel = "NAME", description = "A local image (name, ID or ID prefix) or a registry image.")
  String name;

  @Parameters(index = "1", paramLabel = "DIR", description = "Target directory, new or empty.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    Unpacked report = ImageUnpack.run(session.workspace(registry.forImage(name)), name, Platforms.parse(platform), dir);
    warn(session, "could not set the owner of", report.ownersNotSet());
    warn(session, "skipped", report.skipped());
    report.warnings().forEach(warning -> session.err().println("Warning: " + warning));
    session.progress().info("Unpacked " + count(report.layers(), "layer", "layers") + ", "
        + count(report.entries(), "entry", "entries") + " into " + dir);
    return 0;
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** Rootless unpacks cannot set owners and skip device nodes: say so, briefly. */
  private static void warn(Session session, String what, List<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    String shown = String.join(", ", paths.subList(0, Math.min(LISTED, paths.size())));
    String more = paths.size() > LISTED ? " and " + (paths.size() - LISTED) + " more" : "";
    session.err().println("Warning: " + what + " " + shown + more);
  }
}
