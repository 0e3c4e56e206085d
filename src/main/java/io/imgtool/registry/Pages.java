package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paginated lists (catalog, tags): follow {@code Link: <...>; rel="next"} to the end. */
final class Pages {
  private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
  private static final int MAX_PAGES = 100_000;

  private Pages() {}

  static List<String> collect(RegistryClient client, URI first, Collection<Scope> scopes, String field,
      String operation) throws IOException {
    List<String> result = new ArrayList<>();
    URI uri = first;
    for (int page = 0; uri != null && page < MAX_PAGES; page++) {
      try (Response response = client.send(Request.of("GET", uri).header("Accept", "application/json"), scopes)) {
        if (!response.isSuccess()) {
          throw response.error(operation, client.registry(), false);
        }
        JsonNode items = Json.MAPPER.readTree(response.bytes()).path(field);
        items.forEach(item -> result.add(item.asText()));
        URI current = uri;
        uri = next(response.headers("Link")).map(current::resolve).orElse(null);
      }
    }
    return result;
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
