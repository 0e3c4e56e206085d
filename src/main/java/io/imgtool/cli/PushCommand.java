package io.imgtool.cli;

import io.imgtool.image.BlobSource;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Image;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.LayoutStore;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "push", description = "Push a local image to a registry, like docker push. Prints DEST@sha256:...")
final class PushCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--jobs", paramLabel = "N",
      description = "Blobs uploaded at once (default: the settings' max-concurrent-uploads, else 4).")
  Integer jobs;

  @Option(names = "--retries", paramLabel = "N", description = "Retries of a failed step (default: 4).")
  Integer retries;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Manifest format to push: oci or docker (default: the image's own).")
  Format format;

  @Option(names = "--digestfile", paramLabel = "FILE", description = "Write the pushed manifest digest to FILE.")
  Path digestFile;

  @Parameters(index = "0", paramLabel = "NAME", description = "A local image: name, image ID or ID prefix.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
      description = "Where to push (default: NAME), e.g. 192.168.111.162:5000/yyubuntu:1.2.")
  String dest;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ImageReference target = target();
    RetryPolicy retry = retries == null ? RetryPolicy.defaults()
        : RetryPolicy.withRetries(Counts.check("--retries", retries, 0, 20, 0));
    int parallel = Counts.check("--jobs", jobs, 1, 64, session.settings().maxConcurrentUploads());
    Set<String> insecure = registry.forRegistry(target.registry());
    StoredImage stored = session.store().resolve(name);
    Image image = LocalImages.open(session, stored, insecure);
    Format pushFormat = format != null ? format : image.manifest().format();
    LayoutStore store = session.store();
    // The registry checks every uploaded blob's digest, so local blobs go as their files, unhashed.
    BlobSource blobs = new BlobSource() {
      @Override
      public InputStream open(Descriptor blob) throws IOException {
        return image.blobs().open(blob);
      }

      @Override
      public Optional<Path> file(Descriptor blob) {
        return store.blobFile(blob.digest());
      }
    };
    Image outgoing = new Image(FormatConversion.manifest(image.manifest(), pushFormat), image.config(), blobs);
    Pusher pusher = new Pusher(session.registries(insecure), parallel, retry, session.transferProgress());
    Digest digest = pusher.push(outgoing, target, origins(outgoing, LocalImages.source(stored.manifest())));
    if (digestFile != null) {
      Files.writeString(digestFile, digest.toString());
    }
    session.out().println(target.familiarRepository() + "@" + digest);
    return 0;
  }

  private ImageReference target() {
    String text = dest != null ? dest : name;
    if (!ImageReference.isValid(text)) {
      if (dest == null) {
        throw new UsageException("\"" + name + "\" is not a name to push to; give one as DEST,"
            + " e.g. imgtool push " + name + " 192.168.111.162:5000/repo:1.0");
      }
      ImageReference.parse(text); // throws with the reason
    }
    ImageReference target = ImageReference.parse(text);
    if (target.digest() != null) {
      throw new UsageException("cannot push to a digest reference: " + text + "; give a tag");
    }
    return target;
  }

  /** Layers of a lazy base live in its source repository: mount from there, or stream through. */
  private static Map<Digest, ImageReference> origins(Image image, String source) {
    Map<Digest, ImageReference> origins = new LinkedHashMap<>();
    if (source != null) {
      ImageReference from = ImageReference.parse(source);
      for (Descriptor layer : image.layers()) {
        origins.put(layer.digest(), from);
      }
    }
    return origins;
  }
}
