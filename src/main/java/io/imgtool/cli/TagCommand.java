package io.imgtool.cli;

import io.imgtool.images.LocalImages;
import io.imgtool.name.ImageReference;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "tag", description = "Create a name TARGET that refers to SOURCE, like docker tag.")
final class TagCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "A local image: name, image ID or ID prefix.")
  String source;

  @Parameters(index = "1", paramLabel = "TARGET",
      description = "The new name, e.g. registry.example.com/ns/repo:1.1 or 192.168.1.2:5000/repo:1.2.")
  String target;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    new LocalImages(session.workspace()).tag(source, List.of(ImageReference.parse(target)));
    return 0;
  }
}
