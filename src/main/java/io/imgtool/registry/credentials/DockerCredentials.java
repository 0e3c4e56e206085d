package io.imgtool.registry.credentials;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import io.imgtool.registry.CredentialProvider;
import io.imgtool.registry.RegistryException;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Credentials from Docker's config.json, read by Jib Core: {@code auths} entries, and the
 * {@code credHelpers}/{@code credsStore} programs ({@code docker-credential-*}) it names.
 */
public final class DockerCredentials implements CredentialProvider {
  private final Path configFile;
  private final Map<String, String> environment;
  private final Consumer<String> warnings;
  private boolean checked;

  public DockerCredentials(Path configFile, Map<String, String> environment) {
    this(configFile, environment, warning -> { });
  }

  /**
   * @param warnings told, once, when config.json is not valid JSON: as Docker, the command goes on
   *     without its credentials, but the user hears why
   */
  public DockerCredentials(Path configFile, Map<String, String> environment, Consumer<String> warnings) {
    this.configFile = configFile;
    this.environment = Map.copyOf(environment);
    this.warnings = warnings;
  }

  /** The config.json of this process's environment ($DOCKER_CONFIG or ~/.docker). */
  public static DockerCredentials fromEnvironment() {
    return new DockerCredentials(DockerConfigLocation.configFile(System.getenv()), System.getenv());
  }

  @Override
  public Optional<io.imgtool.registry.Credential> credentialFor(String registry) {
    if (!readable()) {
      return Optional.empty();
    }
    ImageReference image = ImageReference.of(registry, "imgtool/credential-lookup", "latest");
    // Jib's log events can name helper programs but never secrets; imgtool has nowhere to show them.
    CredentialRetriever retriever = CredentialRetrieverFactory.forImage(image, event -> { }, environment)
        .dockerConfig(configFile);
    try {
      return retriever.retrieve().map(DockerCredentials::convert);
    } catch (CredentialRetrievalException e) {
      throw new RegistryException("cannot read the credentials for " + registry + " from " + configFile
          + " (a credential helper failed: " + helperMessage(e) + ")", 0, List.of(), false);
    }
  }

  /** Jib ignores a config.json it cannot parse; Docker warns ("Error loading config file"), and so does imgtool. */
  private synchronized boolean readable() {
    if (!Files.isRegularFile(configFile)) {
      return true;
    }
    try {
      byte[] bytes = Files.readAllBytes(configFile);
      if (bytes.length > 0) {
        Json.parseObject(bytes, configFile.toString());
      }
      return true;
    } catch (IOException | InvalidImageException e) {
      if (!checked) {
        warnings.accept("Error loading config file: " + (e instanceof InvalidImageException ? e.getMessage()
            : configFile + ": " + e.getMessage()) + "; going on without its credentials");
      }
      return false;
    } finally {
      checked = true;
    }
  }

  private static io.imgtool.registry.Credential convert(Credential credential) {
    String user = credential.isOAuth2RefreshToken()
        ? io.imgtool.registry.Credential.IDENTITY_TOKEN_USER : credential.getUsername();
    return new io.imgtool.registry.Credential(user, credential.getPassword());
  }

  /** The exception's own text names the helper and server; its cause may hold helper output. */
  private static String helperMessage(CredentialRetrievalException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }
}
