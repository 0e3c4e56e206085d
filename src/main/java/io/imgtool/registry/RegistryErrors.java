package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an error answer into a {@link RegistryException} whose message explains the registry's
 * error codes (distribution spec "errors" body) and says what to do.
 */
final class RegistryErrors {
  private static final int MAX_DETAIL = 300;

  private RegistryErrors() {}

  /**
   * @param operation what was being done, e.g. "pushing manifest to 127.0.0.1:5000/app:1"
   * @param push whether the operation writes, which changes the advice for DENIED
   */
  static RegistryException of(String operation, String registry, int status, byte[] body, boolean push) {
    return of(operation, registry, status, body, push, false);
  }

  /** @param denied a logged-in user was refused the scope: DENIED whatever the status says */
  static RegistryException of(
      String operation, String registry, int status, byte[] body, boolean push, boolean denied) {
    List<String> codes = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    readErrors(body, codes, messages);
    if (denied && !codes.contains("DENIED")) {
      codes.add(0, "DENIED");
    }
    String why = messages.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + String.join("; ", messages);
    String advice = advice(status, codes, registry, push);
    String message = operation + " failed (" + truncate(why) + ")" + (advice.isEmpty() ? "" : ". " + advice);
    return new RegistryException(message, status, codes, isRetryableStatus(status));
  }

  /** A 401 although credentials were sent: the saved ones no longer work. */
  static RegistryException rejectedCredentials(String operation, String registry, int status, byte[] body) {
    List<String> codes = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    readErrors(body, codes, messages);
    if (!codes.contains("UNAUTHORIZED")) {
      codes.add(0, "UNAUTHORIZED");
    }
    return new RegistryException(operation + " failed (HTTP " + status + "): the saved credentials for " + registry
        + " were rejected. If the password changed or the token expired, log in again: imgtool login " + registry,
        status, codes, false);
  }

  static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  private static void readErrors(byte[] body, List<String> codes, List<String> messages) {
    if (body == null || body.length == 0) {
      return;
    }
    try {
      JsonNode errors = Json.tree(body).path("errors");
      for (JsonNode error : errors) {
        String code = error.path("code").asText("");
        String text = error.path("message").asText("");
        if (!code.isEmpty()) {
          codes.add(code);
        }
        messages.add(code.isEmpty() ? text : code + (text.isEmpty() ? "" : " " + text));
      }
    } catch (java.io.IOException | RuntimeException e) {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      if (!text.isEmpty() && !text.startsWith("<")) {
        messages.add(text);
      }
    }
  }

  private static String advice(int status, List<String> codes, String registry, boolean push) {
    if (codes.contains("DENIED") || status == 403) {
      return push
          ? "The account may not push here: on registries with namespaces (Aliyun, Harbor, Docker Hub)"
              + " the namespace must exist and belong to the account you logged in with"
              + " (imgtool login " + registry + ")"
          : "Access denied: check that the repository exists and that you are logged in with an"
              + " account that may read it (imgtool login " + registry + ")";
    }
    if (codes.contains("UNAUTHORIZED") || status == 401) {
      return "Log in first: imgtool login " + registry;
    }
    if (codes.contains("NAME_UNKNOWN")) {
      return "The repository does not exist on " + registry + " (check the name, or create it first"
          + " on registries that do not create repositories on push)";
    }
    if (codes.contains("MANIFEST_UNKNOWN")) {
      return "No such tag or digest in the repository (imgtool tags REPOSITORY lists the tags)";
    }
    if (codes.contains("BLOB_UNKNOWN") || codes.contains("MANIFEST_BLOB_UNKNOWN")) {
      return "The registry is missing a blob the manifest refers to; push the image again";
    }
    if (codes.contains("MANIFEST_INVALID") || status == 415) {
      return "The registry rejected the manifest or its media type; try --format docker"
          + " if it accepts only Docker image manifests";
    }
    if (status == 413) {
      return "Something in front of " + registry + " (usually a proxy such as nginx) refuses requests this large;"
          + " allow them there (nginx: client_max_body_size 0;)";
    }
    if (codes.contains("TOOMANYREQUESTS") || status == 429) {
      return "The registry is rate-limiting requests; wait and try again";
    }
    if (status >= 500) {
      return "The registry had an internal error; try again later";
    }
    return "";
  }

  private static String truncate(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
