package io.imgtool.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShellLexTest {
  private static final Map<String, String> ENV =
      Map.of("A", "a/b/c", "EMPTY", "", "NAME", "world", "P", "80 443");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
      "$NAME|world",
      "${NAME}!|world!",
      "pre$NAME-post|preworld-post",
      "$UNSET|''",
      "${UNSET:-d}|d",
      "${EMPTY:-d}|d",
      "${EMPTY-d}|''",
      "${NAME:+alt}|alt",
      "${EMPTY:+alt}|''",
      "${EMPTY+alt}|alt",
      "${UNSET:-$NAME}|world",
      "\\$NAME|$NAME",
      "'$NAME'|$NAME",
      "\"$NAME\"|world",
      "\"a \\\"q\\\" \\x\"|a \"q\" \\x",
      "a\\ b|a b",
      "$|$",
      "${A#*/}|b/c",
      "${A##*/}|c",
      "${A%/*}|a/b",
      "${A%%/*}|a",
      "${A/b/x}|a/x/c",
      "${A//[/]/-}|a/b/c",
      "${A//?/-}|-----",
  })
  void processesAWordAsDocker(String word, String expected) {
    String want = expected.equals("''") ? "" : expected;
    assertEquals(want, ShellLex.processWord(word, ENV));
  }

  @Test
  void splitsExpandedValuesButNotQuotedOnes() {
    assertEquals(List.of("80", "443"), ShellLex.processWords("$P", ENV));
    assertEquals(List.of("80 443"), ShellLex.processWords("\"$P\"", ENV));
  }

  @Test
  void reportsUnterminatedQuotes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ShellLex.processWord("'abc", ENV));
    assertEquals("failed to process \"'abc\": unexpected end of statement while looking for matching "
        + "single-quote", e.getMessage());
  }
}
