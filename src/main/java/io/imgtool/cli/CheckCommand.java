package io.imgtool.cli;

import io.imgtool.images.StoreIntegrity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "check", aliases = "fsck",
    description = {"Verify the store: every blob against its digest, every image's manifests, configs and"
        + " layers; report lazy images, unused blobs and leftovers of interrupted commands.",
        "Exits 1 when the store is damaged. --repair removes damaged images, corrupt and unused blobs and"
        + " leftovers, and names what imgtool pull would restore."})
final class CheckCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--repair", description = "Remove what is damaged, corrupt or unused; keep complete and lazy images.")
  boolean repair;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    StoreIntegrity.Report report = StoreIntegrity.check(session.workspace(), repair);
    report.lines().forEach(session.out()::println);
    return report.damaged() ? ErrorHandler.FAILURE : 0;
  }
}
