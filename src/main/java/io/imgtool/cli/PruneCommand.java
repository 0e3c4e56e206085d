package io.imgtool.cli;

import io.imgtool.image.Digest;
import io.imgtool.images.LocalImages;
import io.imgtool.images.LocalImages.Pruned;
import java.io.Console;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "prune", description = {"Remove dangling images (<none> <none>: no name, and no registry known to"
    + " hold them), blobs no image uses, and leftovers of interrupted commands, like docker image prune.",
    "Images with a name are always kept: imgtool has no containers to tell which images are in use."})
final class PruneCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = {"-a", "--all"}, description = "Remove every image without a name, not just dangling ones.")
  boolean all;

  @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation (asked only on a terminal).")
  boolean force;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    Console console = System.console();
    if (!force && console != null && !confirmed(console)) {
      return 0;
    }
    Pruned report = new LocalImages(session.workspace()).prune(all);
    if (!report.deletedImages().isEmpty() || !report.deletedBlobs().isEmpty()) {
      session.out().println("Deleted Images:");
      for (Digest image : report.deletedImages()) {
        session.out().println("deleted: " + image);
      }
      for (Digest blob : report.deletedBlobs()) {
        if (!report.deletedImages().contains(blob)) {
          session.out().println("deleted: " + blob);
        }
      }
      session.out().println();
    }
    session.out().println("Total reclaimed space: " + Human.size(report.reclaimedBytes()));
    return 0;
  }

  private boolean confirmed(Console console) {
    String answer = console.readLine("WARNING! This will remove all %s.%nAre you sure you want to continue? [y/N] ",
        all ? "images without a name" : "dangling images");
    return answer != null && answer.strip().equalsIgnoreCase("y");
  }
}
