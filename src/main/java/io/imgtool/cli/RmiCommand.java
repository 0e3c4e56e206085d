package io.imgtool.cli;

import io.imgtool.images.LocalImages;
import io.imgtool.images.LocalImages.Removal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "rmi",
    description = "Remove names; an image left with no name is deleted with the blobs no other image uses.")
final class RmiCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = {"-f", "--force"}, description = "Remove an image by ID even when several names refer to it.")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Names, image IDs or ID prefixes.")
  List<String> images;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    List<Removal> report = new LocalImages(session.workspace()).remove(images, force);
    // As docker rmi: every argument is tried; failures are reported and make the exit status 1.
    for (Removal removal : report) {
      if (removal.failed()) {
        session.err().println("Error: " + removal.line());
      } else {
        session.out().println(removal.line());
      }
    }
    return report.stream().anyMatch(Removal::failed) ? ErrorHandler.FAILURE : 0;
  }
}
