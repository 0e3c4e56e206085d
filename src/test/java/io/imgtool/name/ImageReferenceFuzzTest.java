package io.imgtool.name;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes image names as users and registries give them (command line, archives, index.json
 * annotations). A malformed name may only be refused with {@link InvalidReferenceException}; any
 * other exception is a finding. A name that parses must print as a name that parses to itself,
 * in both its full and familiar forms, since imgtool stores the one and shows the other.
 * Seeds: {@code ImageReferenceFuzzTestInputs/} in the test resources.
 */
class ImageReferenceFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      ImageReference reference = ImageReference.parse(text);
      assertEquals(reference, ImageReference.parse(reference.toString()), "full form of " + text);
      assertEquals(reference, ImageReference.parse(reference.familiar()), "familiar form of " + text);
    } catch (InvalidReferenceException refused) {
      // the documented answer to a malformed name
    }
    try {
      String registry = ImageReference.parseRegistry(text);
      assertEquals(registry, ImageReference.parseRegistry(registry), "registry " + text);
    } catch (InvalidReferenceException refused) {
      // the documented answer to a malformed registry
    }
  }
}
