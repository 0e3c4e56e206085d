package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import io.imgtool.images.ImageFilter;
import io.imgtool.images.LocalImage;
import io.imgtool.images.LocalImages;
import io.imgtool.name.ImageReference;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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

@Command(name = "images", description = {"List local images, like docker images.",
    "SIZE is what the store holds for the image: its compressed layers and config (docker images shows"
        + " the unpacked size, which is larger); * marks an image whose base layers are still only in a"
        + " registry.",
    "Format fields: .ID .Repository .Tag .Digest .CreatedSince .CreatedAt .Size (Docker's names)."})
final class ImagesCommand implements Callable<Integer> {
  private static final String NONE = "<none>";
  /** Marks the size of an image whose base layers are still only in a registry. */
  private static final String LAZY = "*";
  /** Go's time.Time.String(), which Docker's CreatedAt is. */
  private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");
  private static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("Repository", "REPOSITORY");
    HEADERS.put("Tag", "TAG");
    HEADERS.put("Digest", "DIGEST");
    HEADERS.put("ID", "IMAGE ID");
    HEADERS.put("CreatedSince", "CREATED");
    HEADERS.put("Size", "SIZE");
    HEADERS.put("CreatedAt", "CREATED AT");
    HEADERS.put("Containers", "CONTAINERS");
    HEADERS.put("SharedSize", "SHARED SIZE");
    HEADERS.put("UniqueSize", "UNIQUE SIZE");
    HEADERS.put("VirtualSize", "SIZE");
  }

  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = {"-a", "--all"},
      description = "Show all images (accepted for Docker's sake: imgtool keeps no intermediate images).")
  boolean all;

  @Option(names = "--digests", description = "Show the digests registries hold the images under.")
  boolean digests;

  @Option(names = "--no-trunc", description = "Show full image IDs.")
  boolean noTrunc;

  @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE",
      description = "Filter (repeatable): dangling=true|false, reference=PATTERN (e.g. 'team/*:1.*'),"
          + " label=KEY[=VALUE], before=IMAGE, since=IMAGE.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "table (default), json (one object a line), a Go template such as '{{.Repository}}:{{.Tag}}',"
          + " or 'table TEMPLATE' for columns.")
  String format;

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]",
      description = "Only images of this repository (and tag); a pattern, as reference=.")
  String repository;

  /** One line: an image under one name, or untagged, with the repository a registry holds it in. */
  private record Row(LocalImage image, String repository, String tag, String digest) {}

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    Listing.check(format);
    ImageFilter filter = ImageFilter.parse(filters);
    if (repository != null) {
      filter.reference(repository);
    }
    List<LocalImage> images = new LocalImages(session.workspace()).list(filter);
    List<Row> rows = rows(images).stream()
        .sorted(Comparator.comparing((Row r) -> r.image().created().orElse(Instant.EPOCH)).reversed())
        .toList();
    Instant now = Instant.now();
    List<ObjectNode> nodes = rows.stream().map(row -> node(row, now)).toList();
    listing().print(session.out(), format, session.quiet(), nodes);
    if (format == null && !session.quiet() && rows.stream().anyMatch(row -> row.image().lazy())) {
      session.err().println(LAZY + " base layers still in a registry; imgtool pull NAME fetches them into the store");
    }
    return 0;
  }

  private Listing listing() {
    List<String> columns = digests
        ? List.of("Repository", "Tag", "Digest", "ID", "CreatedSince", "Size")
        : List.of("Repository", "Tag", "ID", "CreatedSince", "Size");
    return new Listing("ID", true, HEADERS, columns);
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

  /** A row with Docker's field names, for the table, templates and JSON alike. */
  private ObjectNode node(Row row, Instant now) {
    LocalImage image = row.image();
    ObjectNode node = Json.object();
    String size = Human.size(image.size());
    node.put("Containers", "N/A");
    // Only formats can show it; the default table does not load the time-zone rules for it.
    node.put("CreatedAt", format == null ? ""
        : image.created().map(t -> CREATED_AT.format(t.atZone(ZoneId.systemDefault()))).orElse(""));
    node.put("CreatedSince", Human.ago(image.created().orElse(null), now));
    node.put("Digest", row.digest());
    node.put("ID", noTrunc ? image.id().toString() : image.id().shortHex());
    node.put("Repository", row.repository());
    node.put("SharedSize", "N/A");
    node.put("Size", format == null ? size + (image.lazy() ? LAZY : "") : size);
    node.put("Tag", row.tag());
    node.put("UniqueSize", "N/A");
    node.put("VirtualSize", size);
    node.put("Lazy", image.lazy());
    return node;
  }
}
