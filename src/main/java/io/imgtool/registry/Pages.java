package io.imgtool.registry;

import io.imgtool.image.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paginated lists (catalog, tags): follow {@code Link: <...>; rel="next"} to the end. */
final class Pages {
  private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
  /** Far more pages than a real list has (a million names at 100 a page), few enough to end a loop. */
  private static final int MAX_PAGES = 10_000;
  /** A page of names; a registry that ignores {@code n} sends every tag at once, still far below this. */
  private static final int MAX_PAGE_BYTES = 16 << 20;

  private Pages() {}

  static List<String> collect(RegistryClient client, URI first, Collection<Scope> scopes, String field,
      String operation) throws IOException {
    List<String> result = new ArrayList<>();
    Set<URI> visited = new HashSet<>();
    URI uri = first;
    for (int page = 1; uri != null; page++) {
      if (!visited.add(uri.normalize())) {
        throw stopped(operation, "its next-page link repeats an earlier page (" + HttpTrace.redact(uri)
            + "), a loop; stopped after " + (page - 1) + " pages");
      }
      if (page > MAX_PAGES) {
        throw stopped(operation, "it links more than " + MAX_PAGES + " pages; stopped");
      }
      URI current = uri;
      uri = RemoteRepository.reading(operation, () -> page(client, current, scopes, field, operation, result));
    }
    return result;
  }

  /** Adds one page's names to {@code result}; returns the next page, or null after the last. */
  private static URI page(RegistryClient client, URI uri, Collection<Scope> scopes, String field, String operation,
      List<String> result) throws IOException {
    try (Response response = client.send(Request.of("GET", uri).header("Accept", "application/json"), scopes)) {
      if (!response.isSuccess()) {
        throw response.error(operation, client.registry(), false);
      }
      byte[] bytes = response.bytes(MAX_PAGE_BYTES, "page", "registry " + client.registry() + " (" + operation + ")");
      Json.tree(bytes).path(field).forEach(item -> result.add(item.asText()));
      return next(response.headers("Link")).map(uri::resolve).orElse(null);
    }
  }

  private static RegistryException stopped(String operation, String why) {
    return new RegistryException(operation + " failed: the registry's list does not end: " + why, 0, List.of(),
        false);
  }

  /** The next-page link; the value is a URI reference, already encoded by the registry. */
  static Optional<String> next(List<String> linkHeaders) {
    for (String header : linkHeaders) {
      Matcher m = NEXT.matcher(header);
      if (m.find()) {
        return Optional.of(uriReference(m.group(1)));
      }
    }
    return Optional.empty();
  }

  /** The link, when it is a URI reference; pagination could not resolve anything else. */
  private static String uriReference(String link) {
    try {
      new URI(link);
      return link;
    } catch (URISyntaxException e) {
      throw new RegistryException("the registry's Link header names a next page that is not a URL: \""
          + link + "\" (" + e.getReason() + ")", 0, List.of(), false);
    }
  }
}
