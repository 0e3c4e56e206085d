package io.imgtool.registry;

import java.util.Optional;

/** Where credentials come from (Docker's config.json, a login prompt, nowhere). */
@FunctionalInterface
public interface CredentialProvider {
  CredentialProvider NONE = registry -> Optional.empty();

  /** The credential for a registry as written in image names, e.g. {@code docker.io} or {@code host:5000}. */
  Optional<Credential> credentialFor(String registry);

  /** A provider that always answers with the given credential (login verification). */
  static CredentialProvider of(Credential credential) {
    return registry -> Optional.of(credential);
  }
}
