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

@Command(name = "tags", description = "List a repository's tags, one a line (every page).")
final class TagsCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "-n", paramLabel = "N", description = "Page size asked of the registry (default: 100).")
  Integer pageSize;

  @Parameters(paramLabel = "REPOSITORY", description = "e.g. 192.168.111.162:5000/yyubuntu")
  String repository;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ImageReference reference = ImageReference.parse(repository);
    int n = Counts.check("-n", pageSize, 1, 10_000, 100);
    new RegistryAccess(session.workspace(registry.forRegistry(reference.registry()))).tags(reference, n)
        .forEach(session.out()::println);
    return 0;
  }
}
