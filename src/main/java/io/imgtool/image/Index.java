package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An image index (OCI) or manifest list (Docker): exact bytes beside a parsed view. */
public final class Index {
  private final byte[] raw;
  private final ObjectNode json;

  private Index(byte[] raw, ObjectNode json) {
    this.raw = raw.clone();
    this.json = json;
  }

  public static Index parse(byte[] raw) {
    ObjectNode json = Json.parseObject(raw, "image index");
    JsonNode manifests = json.get("manifests");
    if (manifests == null || !manifests.isArray()) {
      throw new InvalidImageException("image index has no manifests array");
    }
    manifests.forEach(Descriptor::fromJson);
    return new Index(raw, json);
  }

  /** A new OCI index holding the given descriptors. */
  public static Index create(List<Descriptor> manifests) {
    ObjectNode json = Json.object();
    json.put("schemaVersion", 2);
    json.put("mediaType", MediaType.OCI_INDEX);
    ArrayNode array = json.putArray("manifests");
    manifests.forEach(d -> array.add(d.toJson()));
    return new Index(Json.bytes(json), json);
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public Digest digest() {
    return Digest.sha256(raw);
  }

  public String mediaType() {
    String declared = Json.text(json, "mediaType");
    return declared != null ? declared : MediaType.OCI_INDEX;
  }

  /**
   * The entry for the platform; an exact variant wins over a platform that merely runs here.
   * Entries without a platform or with os "unknown" (attestations and the like) never match.
   */
  public Optional<Descriptor> manifestFor(Platform platform) {
    Descriptor match = null;
    for (Descriptor entry : images()) {
      Platform candidate = Platform.fromJson(entry.platform());
      if (platform.matches(candidate)) {
        if (Objects.equals(platform.variant(), candidate.variant())) {
          return Optional.of(entry);
        }
        if (match == null) {
          match = entry;
        }
      }
    }
    return Optional.ofNullable(match);
  }

  /** The platforms of the index's images, in order, as {@code os/arch[/variant]}. */
  public List<String> platforms() {
    return images().stream().map(entry -> Platform.fromJson(entry.platform()).toString()).toList();
  }

  /** The entries that are images of a platform: manifests with a known os and architecture. */
  private List<Descriptor> images() {
    List<Descriptor> images = new ArrayList<>();
    for (Descriptor entry : manifests()) {
      if (entry.platform() == null || (entry.mediaType() != null && !MediaType.isManifest(entry.mediaType()))) {
        continue;
      }
      Platform candidate = Platform.fromJson(entry.platform());
      if (candidate.os() != null && candidate.architecture() != null && !"unknown".equals(candidate.os())) {
        images.add(entry);
      }
    }
    return images;
  }

  public List<Descriptor> manifests() {
    List<Descriptor> result = new ArrayList<>();
    json.get("manifests").forEach(node -> result.add(Descriptor.fromJson(node)));
    return result;
  }
}
