package io.imgtool.cli;

import io.imgtool.image.Format;
import io.imgtool.images.ImagePush;
import io.imgtool.images.ImagePushAllTags;
import io.imgtool.images.PushRequest;
import io.imgtool.images.Pushed;
import io.imgtool.name.ImageReference;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "push", description = "Push a local image to a registry, like docker push. Prints"
    + " REPOSITORY@sha256:... (the digest the registry holds it under); docker push's digest line goes to stderr.")
final class PushCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--jobs", paramLabel = "N",
      description = "Blobs uploaded at once (default: the settings' max-concurrent-uploads, else 4).")
  Integer jobs;

  @Option(names = "--retries", paramLabel = "N", description = "Retries of a failed request, then of its blob (default: 4).")
  Integer retries;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Manifest format to push: oci or docker (default: the image's own, as its exact bytes).")
  Format format;

  @Option(names = "--digestfile", paramLabel = "FILE", description = "Write the pushed manifest digest to FILE.")
  Path digestFile;

  @Option(names = {"-a", "--all-tags"}, description = "Push every local tag of the repository NAME.")
  boolean allTags;

  @Parameters(index = "0", paramLabel = "NAME", description = "A local image: name, image ID or ID prefix.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
      description = "Where to push (default: NAME), e.g. 192.168.111.162:5000/yyubuntu:1.2, or an archive or"
          + " layout: oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME].")
  String dest;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    int retryCount = retries == null ? -1 : Counts.check("--retries", retries, 0, 20, 0);
    int parallel = Counts.check("--jobs", jobs, 1, 64, session.settings().maxConcurrentUploads());
    String target = dest != null ? dest : name;
    PushRequest request = new PushRequest(name, dest, format, parallel, retryCount);
    if (allTags) {
      if (dest != null || digestFile != null) {
        throw new UsageException("--all-tags pushes the tags NAME has where they are: it takes no DEST"
            + " and no --digestfile");
      }
      for (Pushed pushed : ImagePushAllTags.run(session.workspace(registry.forImage(target)), request)) {
        print(session, pushed);
      }
      return 0;
    }
    try (ResultFile file = ResultFile.prepare(digestFile)) {
      Pushed pushed = ImagePush.run(session.workspace(registry.forImage(target)), request);
      ResultFile.write(file, pushed.digest().toString());
      print(session, pushed);
    }
    return 0;
  }

  /** The repository digest, which names exactly what was pushed: {@code host/repo@sha256:…}. */
  private static void print(Session session, Pushed pushed) {
    ImageReference reference = pushed.target();
    String where = reference == null ? pushed.location() : reference.familiarRepository();
    session.out().println(where + "@" + pushed.digest());
  }
}
