package io.imgtool.images;

import io.imgtool.name.ImageReference;
import io.imgtool.registry.Credential;
import io.imgtool.registry.RegistryException;
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

  /** What {@link #reuseSavedLogin} found. */
  public enum SavedLogin {
    /** No credentials are saved for the registry. */
    NONE,
    /** The saved credentials work: the user is logged in. */
    ACCEPTED,
    /** The registry refuses the saved credentials (a changed password, an expired token). */
    REJECTED
  }

  /**
   * {@code docker login REGISTRY} with neither user nor password: the saved credentials, checked
   * against the registry, instead of a prompt. {@code user} receives the saved user name.
   */
  public SavedLogin reuseSavedLogin(String registry, java.util.function.Consumer<String> user) throws IOException {
    java.util.Optional<Credential> saved = workspace.credentials().credentialFor(registry);
    if (saved.isEmpty()) {
      return SavedLogin.NONE;
    }
    user.accept(saved.get().isIdentityToken() ? "" : saved.get().username());
    try {
      workspace.registries().clientWith(registry, saved.get()).verifyCredentials();
      return SavedLogin.ACCEPTED;
    } catch (RegistryException e) {
      if (e.hasCode("UNAUTHORIZED")) {
        return SavedLogin.REJECTED;
      }
      throw e;
    }
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
