package io.imgtool.name;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image name with Docker's rules: {@code ubuntu} is {@code docker.io/library/ubuntu:latest},
 * {@code host:5000/ns/repo:tag}, {@code repo@sha256:<64 hex>}. The registry and repository are
 * always normalised; the tag is absent only when a digest is given.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  public static final String DOCKER_HUB = "docker.io";
  public static final String DEFAULT_TAG = "latest";

  private static final int MAX_NAME_LENGTH = 255;
  private static final Pattern COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final Pattern DOMAIN = Pattern.compile(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
          + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");

  /** Parses a name; throws {@link InvalidReferenceException} with Docker's wording when malformed. */
  public static ImageReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidReferenceException("invalid reference format: empty image name");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(text, "the digest must be sha256: followed by 64 lower-case hex digits");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, "a tag is up to 128 letters, digits, '_', '.' and '-'");
      }
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash > 0 && looksLikeRegistry(rest.substring(0, slash))) {
      registry = rest.substring(0, slash);
      path = rest.substring(slash + 1);
      if (!DOMAIN.matcher(registry).matches()) {
        throw invalid(text, "'" + registry + "' is not a valid registry host[:port]");
      }
      registry = normaliseRegistry(registry);
    }
    validatePath(text, path);
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (path.length() > MAX_NAME_LENGTH) {
      throw invalid(text, "repository name must not be longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageReference(registry, path, tag, digest);
  }

  /**
   * A registry named on its own (login, catalog): {@code host[:port]}, with Docker Hub's aliases
   * folded into {@code docker.io}; a URL's scheme and path are dropped, as docker login does.
   */
  public static String parseRegistry(String text) {
    String host = text.strip().replaceFirst("^(?i)https?://", "");
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    if (!DOMAIN.matcher(host).matches()) {
      throw new InvalidReferenceException(
          "invalid registry \"" + text + "\": expected host[:port], e.g. 192.168.111.162:5000");
    }
    return normaliseRegistry(host.toLowerCase(java.util.Locale.ROOT));
  }

  private static String normaliseRegistry(String registry) {
    return registry.equals("index.docker.io") || registry.equals("registry-1.docker.io") ? DOCKER_HUB : registry;
  }

  /** True when the text parses as a name. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (InvalidReferenceException e) {
      return false;
    }
  }

  private static boolean looksLikeRegistry(String first) {
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
  }

  private static void validatePath(String text, String path) {
    if (path.isEmpty()) {
      throw invalid(text, "the repository name is empty");
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        if (!component.equals(component.toLowerCase(java.util.Locale.ROOT))) {
          throw invalid(text, "repository name must be lowercase");
        }
        throw invalid(text, "a repository name is lower-case letters, digits and separators"
            + " ('.', '_', '__', '-') between them, in '/'-separated parts");
      }
    }
  }

  private static InvalidReferenceException invalid(String text, String why) {
    return new InvalidReferenceException("invalid reference format \"" + text + "\": " + why);
  }

  /** registry/repository, e.g. {@code docker.io/library/ubuntu}. */
  public String name() {
    return registry + "/" + repository;
  }

  /** The full normalised name, e.g. {@code docker.io/library/ubuntu:latest}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name());
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }

  /**
   * The repository as Docker shows it: {@code ubuntu}, {@code user/app}, {@code host:5000/app}.
   * It always parses back to this repository: {@code library/} goes only before a single
   * component, as Docker drops it, and a Docker Hub path whose first part reads as a host
   * ({@code docker.io/foo.com/app}) keeps {@code docker.io/}, or it would name another registry.
   */
  public String familiarRepository() {
    if (!registry.equals(DOCKER_HUB)) {
      return name();
    }
    String official = repository.startsWith("library/") ? repository.substring("library/".length()) : null;
    if (official != null && !official.contains("/")) {
      return official;
    }
    int slash = repository.indexOf('/');
    return slash > 0 && looksLikeRegistry(repository.substring(0, slash)) ? name() : repository;
  }

  /** The name as Docker shows it, e.g. {@code ubuntu:latest}. */
  public String familiar() {
    String s = familiarRepository();
    if (tag != null) {
      s += ":" + tag;
    }
    if (digest != null) {
      s += "@" + digest;
    }
    return s;
  }

  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  public ImageReference withDigest(String newDigest) {
    return new ImageReference(registry, repository, null, newDigest);
  }

  // Written out, not the record's generated ones: those bootstrap through invokedynamic on first
  // use, a tenth of the CPU of `imgtool tag` or `inspect` (see bench/README.md, start-up).
  @Override
  public boolean equals(Object other) {
    return other instanceof ImageReference that && registry.equals(that.registry)
        && repository.equals(that.repository) && Objects.equals(tag, that.tag) && Objects.equals(digest, that.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }

  /** True when both names are in the same repository of the same registry. */
  public boolean sameRepository(ImageReference other) {
    return registry.equals(other.registry) && repository.equals(other.repository);
  }
}
