package io.imgtool.cli;

import io.imgtool.images.RegistryAccess;
import io.imgtool.name.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "logout", description = "Remove a registry's saved credentials from Docker's config.json.")
final class LogoutCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SERVER", description = "Registry host[:port] (default: docker.io).")
  String server;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    String host = server == null ? ImageReference.DOCKER_HUB : ImageReference.parseRegistry(server);
    if (new RegistryAccess(session.workspace()).logout(host)) {
      session.out().println("Removing login credentials for " + host);
    } else {
      session.err().println("Not logged in to " + host);
    }
    return 0;
  }
}
