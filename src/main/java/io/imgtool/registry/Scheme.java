package io.imgtool.registry;

/** How a registry is reached once the transport policy has decided. */
enum Scheme {
  HTTPS_VERIFIED("https"),
  HTTPS_UNVERIFIED("https"),
  HTTP("http");

  private final String uriScheme;

  Scheme(String uriScheme) {
    this.uriScheme = uriScheme;
  }

  String uriScheme() {
    return uriScheme;
  }
}
