package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import io.imgtool.images.LocalImage;
import io.imgtool.images.LocalImages;
import io.imgtool.name.ImageReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  /** Marks the size of an image whose base layers are still only in a registry. */
  private static final String LAZY = "*";

  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--digests", description = "Show the digests registries hold the images under.")
  boolean digests;

  @Option(names = "--no-trunc", description = "Show full image IDs.")
  boolean noTrunc;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one JSON object a line, as docker images --format json).")
  OutputFormat format;

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only images of this repository (and tag).")
  String filter;

  /** One line: an image under one name, or untagged, with the repository a registry holds it in. */
  private record Row(LocalImage image, String repository, String tag, String digest) {}

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    List<LocalImage> images = new LocalImages(session.workspace()).list();
    List<Row> rows = rows(images).stream()
        .filter(this::matchesFilter)
        .sorted(Comparator.comparing((Row r) -> r.image().created().orElse(Instant.EPOCH)).reversed())
        .toList();
    if (format == OutputFormat.JSON) {
      rows.forEach(row -> session.out().println(json(row)));
    } else {
      table(rows).print(session.out());
      if (rows.stream().anyMatch(row -> row.image().lazy())) {
        session.err().println(LAZY + " base layers still in a registry; imgtool pull NAME fetches them into the store");
      }
    }
    return 0;
  }

  /**
   * As docker images: a named image under its repository and tag; an untagged one that a registry
   * holds under the repository it was pulled from, tag {@code <none>}. The digest shown is the one
   * a registry holds the image under in that row's repository.
   */
  private static List<Row> rows(List<LocalImage> images) {
    Map<Digest, Set<String>> repoDigests = new LinkedHashMap<>();
    for (LocalImage image : images) {
      repoDigests.computeIfAbsent(image.entry().digest(), d -> new LinkedHashSet<>()).addAll(image.repoDigests());
    }
    List<Row> rows = new ArrayList<>();
    for (LocalImage image : images) {
      Set<String> known = repoDigests.get(image.entry().digest());
      String repository = image.name().map(ImageReference::familiarRepository)
          .orElse(known.stream().findFirst().map(d -> ImageReference.parse(d).familiarRepository()).orElse(NONE));
      String tag = image.name().map(ImageReference::tag).orElse(NONE);
      String digest = known.stream().map(ImageReference::parse)
          .filter(d -> d.familiarRepository().equals(repository))
          .map(ImageReference::digest).findFirst().orElse(NONE);
      rows.add(new Row(image, repository, tag, digest));
    }
    return rows;
  }

  private boolean matchesFilter(Row row) {
    if (filter == null) {
      return true;
    }
    if (row.image().name().isEmpty()) {
      return false;
    }
    ImageReference wanted = ImageReference.parse(filter);
    ImageReference name = row.image().name().get();
    boolean tagGiven = filter.substring(filter.lastIndexOf('/') + 1).contains(":");
    return name.sameRepository(wanted) && (!tagGiven || wanted.tag().equals(name.tag()));
  }

  private Table table(List<Row> rows) {
    Table table = digests
        ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
        : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    Instant now = Instant.now();
    for (Row row : rows) {
      LocalImage image = row.image();
      String id = noTrunc ? image.id().toString() : image.id().shortHex();
      String created = Human.ago(image.created().orElse(null), now);
      String size = Human.size(image.size()) + (image.lazy() ? LAZY : "");
      if (digests) {
        table.add(row.repository(), row.tag(), row.digest(), id, created, size);
      } else {
        table.add(row.repository(), row.tag(), id, created, size);
      }
    }
    return table;
  }

  private String json(Row row) {
    LocalImage image = row.image();
    ObjectNode node = Json.object();
    node.put("Repository", row.repository());
    node.put("Tag", row.tag());
    node.put("Digest", row.digest());
    node.put("ID", noTrunc ? image.id().toString() : image.id().shortHex());
    node.put("CreatedAt", image.created().map(Instant::toString).orElse(""));
    node.put("CreatedSince", Human.ago(image.created().orElse(null), Instant.now()));
    node.put("Size", Human.size(image.size()));
    node.put("Lazy", image.lazy());
    return node.toString();
  }
}
