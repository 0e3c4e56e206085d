package io.imgtool.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Docker side of an archive ({@code docker save}): {@code manifest.json} lists each image's
 * config file, names and layer files. Old archives keep them as {@code ID.json} and
 * {@code ID/layer.tar} (uncompressed); Docker 25+ points them into the OCI layout's blobs.
 */
public final class DockerArchive {
  public static final String MANIFEST = "manifest.json";
  public static final String REPOSITORIES = "repositories";

  /** One image of {@code manifest.json}: paths in the archive, and its names as Docker wrote them. */
  public record Item(String config, List<String> repoTags, List<String> layers) {
    public Item {
      repoTags = List.copyOf(repoTags);
      layers = List.copyOf(layers);
    }
  }

  private DockerArchive() {}

  public static boolean isArchive(ArchiveFiles files) {
    return files.exists(MANIFEST);
  }

  public static List<Item> items(ArchiveFiles files) throws IOException {
    JsonNode manifest;
    try {
      manifest = Json.tree(files.read(MANIFEST, OciLayout.MAX_DOCUMENT));
    } catch (IOException | InvalidImageException e) {
      throw new ArchiveException("the " + MANIFEST + " of " + files + " is not valid JSON: " + e.getMessage(), e);
    }
    if (manifest == null || !manifest.isArray()) {
      throw new ArchiveException("the " + MANIFEST + " of " + files + " is not a list of images");
    }
    List<Item> items = new ArrayList<>();
    for (JsonNode image : manifest) {
      String config = Json.text(image, "Config");
      if (config == null || !image.path("Layers").isArray()) {
        throw new ArchiveException("an image in the " + MANIFEST + " of " + files + " has no Config or Layers");
      }
      items.add(new Item(ArchivePaths.clean(config), texts(image.get("RepoTags")), paths(image.get("Layers"))));
    }
    return items;
  }

  private static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(node -> result.add(node.asText()));
    }
    return result;
  }

  private static List<String> paths(JsonNode array) {
    List<String> result = new ArrayList<>();
    texts(array).forEach(path -> result.add(ArchivePaths.clean(path)));
    return result;
  }
}
