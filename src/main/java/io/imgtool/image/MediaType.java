package io.imgtool.image;

/** The media types of Docker image manifest v2 schema 2 and of the OCI image spec, in one place. */
public final class MediaType {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDIST_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_FOREIGN_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
  /** Docker's image manifest schema 1 (signed or not), deprecated since 2017; never accepted. */
  public static final String DOCKER_SCHEMA1_PREFIX = "application/vnd.docker.distribution.manifest.v1";

  private MediaType() {}

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  public static boolean isSchema1(String mediaType) {
    return mediaType != null && mediaType.startsWith(DOCKER_SCHEMA1_PREFIX);
  }

  public static boolean isDocker(String mediaType) {
    return mediaType != null && mediaType.startsWith("application/vnd.docker.");
  }

  /** The compression a layer media type announces. */
  public static Compression layerCompression(String mediaType) {
    if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")) {
      return Compression.GZIP;
    }
    if (mediaType.endsWith("+zstd")) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /** The layer media type for the given format and compression. */
  public static String layer(Format format, Compression compression) {
    if (format == Format.DOCKER) {
      if (compression != Compression.GZIP) {
        throw new IllegalArgumentException(
            "Docker image format supports only gzip layers; use --format oci for " + compression.label());
      }
      return DOCKER_LAYER_GZIP;
    }
    return switch (compression) {
      case GZIP -> OCI_LAYER_GZIP;
      case ZSTD -> OCI_LAYER_ZSTD;
      case NONE -> OCI_LAYER;
    };
  }
}
