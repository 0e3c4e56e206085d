package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fuzzes the response headers imgtool parses from any registry it is pointed at: each line of
 * the input is one header value, read as {@code WWW-Authenticate} challenges
 * ({@link Challenge}) and as {@code Link} headers ({@link Pages#next}). Neither parser documents
 * an exception for a malformed header, so any exception from the challenge parser is a finding;
 * the Link parser may refuse a header with a {@link RegistryException}, and a next link it
 * returns must resolve against the page it came from, as pagination resolves it. A parsed
 * challenge has a lower-case scheme without spaces and lower-case parameter names.
 * Seeds: challenges and Link headers of Distribution, Docker Hub, Aliyun, Harbor and others.
 */
class RegistryHeadersFuzzTest {
  private static final URI PAGE = URI.create("https://registry.example.com:5000/v2/_catalog?n=100");

  @FuzzTest
  void headers(byte[] input) {
    List<String> headers = Arrays.asList(new String(input, StandardCharsets.UTF_8).split("\n", -1));
    for (String header : headers) {
      Challenge challenge = Challenge.parse(header);
      assertEquals(challenge.scheme().toLowerCase(Locale.ROOT), challenge.scheme(), "scheme of " + header);
      assertFalse(challenge.scheme().chars().anyMatch(Character::isWhitespace), "scheme of " + header);
      challenge.params().keySet().forEach(key -> assertEquals(key.toLowerCase(Locale.ROOT), key, "key of " + header));
    }
    Challenge.choose(headers);
    Optional<String> next;
    try {
      next = Pages.next(headers);
    } catch (RegistryException refused) {
      return;
    }
    next.ifPresent(PAGE::resolve);
  }
}
