package io.imgtool.image;

/** The two manifest families an image can be written in. */
public enum Format {
  OCI(MediaType.OCI_MANIFEST, MediaType.OCI_CONFIG),
  DOCKER(MediaType.DOCKER_MANIFEST, MediaType.DOCKER_CONFIG);

  private final String manifestMediaType;
  private final String configMediaType;

  Format(String manifestMediaType, String configMediaType) {
    this.manifestMediaType = manifestMediaType;
    this.configMediaType = configMediaType;
  }

  public String manifestMediaType() {
    return manifestMediaType;
  }

  public String configMediaType() {
    return configMediaType;
  }

  public static Format ofManifest(String mediaType) {
    return MediaType.DOCKER_MANIFEST.equals(mediaType) ? DOCKER : OCI;
  }
}
