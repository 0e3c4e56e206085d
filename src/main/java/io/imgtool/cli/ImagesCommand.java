package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Json;
import io.imgtool.name.ImageReference;
import io.imgtool.store.StoredImage;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "images", description = "List local images, like docker images.")
final class ImagesCommand implements Callable<Integer> {
  private static final String NONE = "<none>";

  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--digests", description = "Show manifest digests.")
  boolean digests;

  @Option(names = "--no-trunc", description = "Show full image IDs.")
  boolean noTrunc;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one JSON object a line, as docker images --format json).")
  OutputFormat format;

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only images of this repository (and tag).")
  String filter;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    List<StoredImage> images = session.store().images().stream()
        .filter(this::matchesFilter)
        .sorted(Comparator.comparing((StoredImage i) -> i.created().orElse(Instant.EPOCH)).reversed())
        .toList();
    if (format == OutputFormat.JSON) {
      images.forEach(image -> session.out().println(json(image)));
    } else {
      table(images).print(session.out());
    }
    return 0;
  }

  private boolean matchesFilter(StoredImage image) {
    if (filter == null) {
      return true;
    }
    if (image.name().isEmpty()) {
      return false;
    }
    ImageReference wanted = ImageReference.parse(filter);
    ImageReference name = image.name().get();
    boolean tagGiven = filter.substring(filter.lastIndexOf('/') + 1).contains(":");
    return name.sameRepository(wanted) && (!tagGiven || wanted.tag().equals(name.tag()));
  }

  private Table table(List<StoredImage> images) {
    Table table = digests
        ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
        : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    Instant now = Instant.now();
    for (StoredImage image : images) {
      String repository = image.name().map(ImageReference::familiarRepository).orElse(NONE);
      String tag = image.name().map(ImageReference::tag).orElse(NONE);
      String id = noTrunc ? image.id().toString() : image.id().shortHex();
      String created = Human.ago(image.created().orElse(null), now);
      String size = Human.size(image.size());
      if (digests) {
        table.add(repository, tag, image.manifest().digest().toString(), id, created, size);
      } else {
        table.add(repository, tag, id, created, size);
      }
    }
    return table;
  }

  private String json(StoredImage image) {
    ObjectNode node = Json.object();
    node.put("Repository", image.name().map(ImageReference::familiarRepository).orElse(NONE));
    node.put("Tag", image.name().map(ImageReference::tag).orElse(NONE));
    node.put("Digest", image.manifest().digest().toString());
    node.put("ID", noTrunc ? image.id().toString() : image.id().shortHex());
    node.put("CreatedAt", image.created().map(Instant::toString).orElse(""));
    node.put("CreatedSince", Human.ago(image.created().orElse(null), Instant.now()));
    node.put("Size", Human.size(image.size()));
    return node.toString();
  }
}
