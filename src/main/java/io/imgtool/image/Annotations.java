package io.imgtool.image;

/** The annotation keys imgtool writes on store index entries, in one place. */
public final class Annotations {
  /** The image's name, as the OCI image layout defines it (the full normalised name). */
  public static final String REF_NAME = Descriptor.REF_NAME;

  /**
   * The registry repository ({@code host/repo}) that holds the image's base layers. An image
   * committed on a registry base keeps only its manifest, config and new layers locally; the base
   * layers are fetched from here when their bytes are needed, or mounted from here on push.
   */
  public static final String SOURCE = "io.imgtool.source";

  /**
   * {@code docker} when the image's own format is Docker v2 schema 2. The store holds every image
   * as an OCI manifest (so that skopeo and umoci can read it); push writes the Docker form.
   */
  public static final String FORMAT = "io.imgtool.format";

  private Annotations() {}
}
