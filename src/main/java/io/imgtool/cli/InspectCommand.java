package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.cli.template.Template;
import io.imgtool.cli.template.TemplateException;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Json;
import io.imgtool.images.Failures;
import io.imgtool.name.ImageReference;
import io.imgtool.images.LocalImage;
import io.imgtool.images.LocalImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A JSON array with one object per image: Docker's familiar top-level fields (Id, RepoTags,
 * RepoDigests, Created, Author, Config, RootFS, ...), where its layers are, and, in full, the
 * manifest it is known by and the image config. As docker inspect, the images found are shown
 * even when some are not, and then each missing one is an error (exit status 1).
 */
@Command(name = "inspect", description = {"Show an image's ID, names, manifest and config as JSON.",
    "Fields: Id RepoTags RepoDigests Digest IndexDigest MediaType Format LayersFrom Lazy Created Author Comment"
        + " Architecture Variant Os Config RootFS Size Manifest ImageConfig."})
final class InspectCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "A Go template per image, e.g. '{{.Id}}', '{{json .Config}}', '{{index .RepoDigests 0}}'.")
  String format;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Local images: names, image IDs or ID prefixes.")
  List<String> names;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    Template template = template();
    LocalImages images = new LocalImages(session.workspace());
    ArrayNode result = Json.array();
    List<String> errors = new ArrayList<>();
    for (String name : names) {
      try {
        Optional<LocalImage> image = images.find(name);
        if (image.isEmpty()) {
          errors.add("No such image: " + name);
          continue;
        }
        LocalImages.KnownAs known = images.knownAs(image.get());
        result.add(describe(image.get(), known.names(), known.repoDigests()));
      } catch (RuntimeException e) {
        errors.add(Failures.message(e));
      }
    }
    if (template == null) {
      session.out().println(result.isEmpty() ? "[]" : Json.pretty(result));
    } else {
      for (int i = 0; i < result.size(); i++) {
        session.out().println(template.execute(result.get(i)));
      }
    }
    errors.forEach(error -> session.err().println("Error: " + error));
    return errors.isEmpty() ? 0 : ErrorHandler.FAILURE;
  }

  private Template template() {
    if (format == null || format.equals("json")) {
      return null;
    }
    try {
      return Template.parse(format);
    } catch (TemplateException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static ObjectNode describe(LocalImage local, List<ImageReference> names, List<String> repoDigests) {
    Image image = local.image();
    ImageConfig config = image.config();
    ObjectNode node = Json.object();
    node.put("Id", local.id().toString());
    ArrayNode tags = node.putArray("RepoTags");
    names.forEach(name -> tags.add(name.familiar()));
    ArrayNode digests = node.putArray("RepoDigests");
    repoDigests.forEach(digest -> digests.add(familiar(digest)));
    node.put("Digest", local.digest().toString());
    local.indexDigest().ifPresent(index -> node.put("IndexDigest", index.toString()));
    if (local.isMultiPlatform()) { // the fields below are this machine's platform's image, or the first
      ArrayNode platforms = node.putArray("Platforms");
      local.platforms().forEach(platforms::add);
    }
    node.put("MediaType", image.manifest().mediaType());
    node.put("Format", local.format().name().toLowerCase(java.util.Locale.ROOT));
    local.layersFrom().ifPresent(source -> node.put("LayersFrom", source.name()));
    if (local.lazy()) {
      node.put("Lazy", true); // some layers are only in LayersFrom; pull NAME fetches them
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

  /** {@code docker.io/library/ubuntu@sha256:…} as Docker shows it: {@code ubuntu@sha256:…}. */
  static String familiar(String repoDigest) {
    return ImageReference.parse(repoDigest).familiar();
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
