package io.imgtool.images;

import io.imgtool.name.ImageReference;
import io.imgtool.registry.Credential;
import java.io.IOException;
import java.util.List;

/** What users ask of a registry itself: log in and out, list its repositories and tags. */
public final class RegistryAccess {
  private final Workspace workspace;

  public RegistryAccess(Workspace workspace) {
    this.workspace = workspace;
  }

  /**
   * {@code docker login}: checks the credentials against the registry, then saves them in
   * Docker's config.json (or its credential helper), so docker and imgtool share them.
   */
  public void login(String registry, String user, String password) throws IOException {
    Credential credential = new Credential(user, password);
    workspace.registries().clientWith(registry, credential).verifyCredentials();
    workspace.dockerConfigFile().store(registry, credential);
  }

  /** Removes the saved credentials; false when there were none. */
  public boolean logout(String registry) throws IOException {
    return workspace.dockerConfigFile().remove(registry);
  }

  /** The registry's repositories, every page of {@code /v2/_catalog}. */
  public List<String> catalog(String registry, int pageSize) throws IOException {
    return workspace.registries().client(registry).catalog(pageSize);
  }

  /**
   * The manifest or index the registry serves for a tag or digest, as its exact bytes (checked
   * against the digest), for {@code manifest inspect}.
   */
  public byte[] manifest(ImageReference reference) throws IOException {
    String tagOrDigest = reference.digest() != null ? reference.digest() : reference.tag();
    return workspace.registries().client(reference.registry()).repositoryForPull(reference.repository())
        .getManifest(tagOrDigest).bytes();
  }

  /** A repository's tags, every page. */
  public List<String> tags(ImageReference repository, int pageSize) throws IOException {
    return workspace.registries().client(repository.registry())
        .repositoryForPull(repository.repository()).tags(pageSize);
  }
}
