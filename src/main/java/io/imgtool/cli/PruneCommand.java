package io.imgtool.cli;

import io.imgtool.images.LocalImages;
import io.imgtool.images.LocalImages.Pruned;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "prune", description = "Remove blobs that no image uses, and leftovers of interrupted commands.")
final class PruneCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    Pruned report = new LocalImages(session.workspace()).prune();
    report.deletedBlobs().forEach(blob -> session.out().println("deleted: " + blob));
    session.out().println("Total reclaimed space: " + Human.size(report.reclaimedBytes()));
    return 0;
  }
}
