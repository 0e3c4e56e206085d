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

@Command(name = "tag", description = "Create names TARGET… that refer to SOURCE, like docker tag (which takes"
    + " one TARGET; several are given at once, as buildah and podman allow).")
final class TagCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "A local image: name, image ID or ID prefix.")
  String source;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET",
      description = "New names, e.g. registry.example.com/ns/repo:1.1 or 192.168.1.2:5000/repo:1.2.")
  List<String> targets;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    List<ImageReference> names = targets.stream().map(ImageReference::parse).toList();
    new LocalImages(session.workspace()).tag(source, names);
    return 0;
  }
}
