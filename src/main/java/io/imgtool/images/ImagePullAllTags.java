package io.imgtool.images;

import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code docker pull --all-tags REPOSITORY}: every tag the registry lists, one pull each. */
public final class ImagePullAllTags {
  private ImagePullAllTags() {}

  /** One result per tag, in the registry's order. */
  public static List<Pulled> run(Workspace workspace, String repository, Platform platform, int jobs)
      throws IOException {
    if (ImagePushAllTags.hasTagOrDigest(repository)) {
      throw new InvalidRequestException("tag can't be used with --all-tags/-a: " + repository);
    }
    ImageReference name = ImageReference.parse(repository);
    List<String> tags = new RegistryAccess(workspace).tags(name, 0);
    if (tags.isEmpty()) {
      throw new ImageUnavailableException("the repository " + name.name() + " has no tags", null);
    }
    List<Pulled> pulled = new ArrayList<>();
    for (String tag : tags) {
      pulled.add(ImagePull.run(workspace, name.withTag(tag).toString(), platform, jobs));
    }
    return pulled;
  }
}
