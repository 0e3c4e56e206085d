package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Json;
import io.imgtool.name.ImageReference;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A JSON array with one object per image: Docker's familiar top-level fields (Id, RepoTags,
 * Created, Author, Config, RootFS, ...) and, in full, the manifest and the image config.
 */
@Command(name = "inspect", description = "Show an image's ID, names, manifest and config as JSON.")
final class InspectCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Local images: names, image IDs or ID prefixes.")
  List<String> names;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    ArrayNode result = Json.array();
    List<StoredImage> all = session.store().images();
    for (String name : names) {
      StoredImage stored = session.store().resolve(name);
      result.add(describe(LocalImages.open(session, stored, Set.of()), stored, all));
    }
    session.out().println(Json.pretty(result));
    return 0;
  }

  private static ObjectNode describe(Image image, StoredImage stored, List<StoredImage> all) throws IOException {
    ImageConfig config = image.config();
    ObjectNode node = Json.object();
    node.put("Id", image.id().toString());
    ArrayNode tags = node.putArray("RepoTags");
    all.stream()
        .filter(other -> other.manifest().digest().equals(stored.manifest().digest()))
        .flatMap(other -> other.name().stream())
        .map(ImageReference::familiar)
        .distinct()
        .forEach(tags::add);
    node.put("Digest", image.manifest().digest().toString());
    node.put("MediaType", image.manifest().mediaType());
    node.put("Format", image.manifest().format().name().toLowerCase(java.util.Locale.ROOT));
    if (LocalImages.source(stored.manifest()) != null) {
      node.put("LayersFrom", LocalImages.source(stored.manifest()));
    }
    putText(node, "Created", config.created());
    putText(node, "Author", config.author());
    putText(node, "Comment", Json.text(config.toJson(), "comment"));
    putText(node, "Architecture", config.architecture());
    putText(node, "Variant", config.variant());
    putText(node, "Os", config.os());
    node.set("Config", config.containerConfig());
    ObjectNode rootfs = node.putObject("RootFS");
    rootfs.put("Type", "layers");
    ArrayNode layers = rootfs.putArray("Layers");
    config.diffIds().forEach(id -> layers.add(id.toString()));
    node.put("Size", image.layers().stream().mapToLong(Descriptor::size).sum() + config.size());
    node.set("Manifest", image.manifest().toJson());
    node.set("ImageConfig", config.toJson());
    return node;
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
