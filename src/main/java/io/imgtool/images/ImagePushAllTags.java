package io.imgtool.images;

import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code docker push --all-tags REPOSITORY}: every local tag of the repository, one push each. */
public final class ImagePushAllTags {
  private ImagePushAllTags() {}

  /**
   * @param request the repository (without a tag) as its name, and how to push; no destination
   * @return one result per tag, in tag order
   */
  public static List<Pushed> run(Workspace workspace, PushRequest request) throws IOException {
    String text = request.name();
    if (hasTagOrDigest(text)) {
      throw new InvalidRequestException("tag can't be used with --all-tags/-a: " + text);
    }
    if (!ImageReference.isValid(text)) {
      ImageReference.parse(text); // throws with the reason
    }
    ImageReference repository = ImageReference.parse(text);
    List<ImageReference> tags = new ArrayList<>();
    for (LocalImage image : new LocalImages(workspace).list()) {
      image.name().filter(repository::sameRepository).ifPresent(tags::add);
    }
    if (tags.isEmpty()) {
      throw new ImageUnavailableException("An image does not exist locally with the tag: "
          + repository.familiarRepository(), null);
    }
    tags.sort(Comparator.comparing(ImageReference::tag));
    List<Pushed> pushed = new ArrayList<>();
    for (ImageReference tag : tags) {
      pushed.add(ImagePush.run(workspace, new PushRequest(tag.toString(), null, request.format(), request.jobs(),
          request.retries())));
    }
    return pushed;
  }

  static boolean hasTagOrDigest(String text) {
    return text.contains("@") || text.substring(text.lastIndexOf('/') + 1).contains(":");
  }
}
