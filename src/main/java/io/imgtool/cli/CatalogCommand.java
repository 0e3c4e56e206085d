package io.imgtool.cli;

import io.imgtool.images.RegistryAccess;
import io.imgtool.name.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "catalog", description = "List a registry's repositories, one a line (GET /v2/_catalog, every page).")
final class CatalogCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "-n", paramLabel = "N", description = "Page size asked of the registry (default: 100).")
  Integer pageSize;

  @Parameters(paramLabel = "REGISTRY", description = "host[:port], e.g. 192.168.111.162:5000")
  String host;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    String registryHost = ImageReference.parseRegistry(host);
    int n = Counts.check("-n", pageSize, 1, 10_000, 100);
    new RegistryAccess(session.workspace(registry.forRegistry(registryHost))).catalog(registryHost, n)
        .forEach(session.out()::println);
    return 0;
  }
}
