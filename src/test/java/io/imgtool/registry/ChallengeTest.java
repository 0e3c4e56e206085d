package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void readsBearerWithSeveralScopesAndQuotedCommas() {
    Challenge c = Challenge.parse("bEaReR realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
        + "scope=\"repository:a/b:pull,push repository:c:pull\",error=\"insufficient_scope\"");
    assertEquals(Challenge.BEARER, c.scheme());
    assertEquals("https://auth.example.com/token", c.param("realm"));
    assertEquals("registry.example.com", c.param("service"));
    assertEquals("repository:a/b:pull,push repository:c:pull", c.param("scope"));
    assertEquals("insufficient_scope", c.param("error"));
  }

  @Test
  void readsBasicWithUnquotedAndEscapedValues() {
    Challenge c = Challenge.parse("Basic realm=\"say \\\"hi\\\", friend\", charset=UTF-8");
    assertEquals(Challenge.BASIC, c.scheme());
    assertEquals("say \"hi\", friend", c.param("realm"));
    assertEquals("UTF-8", c.param("charset"));
  }

  @Test
  void prefersBearerAmongSeveralHeaders() {
    assertEquals(Challenge.BEARER, Challenge.choose(List.of("Basic realm=x", "Bearer realm=\"y\"")).get().scheme());
    assertTrue(Challenge.choose(List.of("Negotiate")).isEmpty());
  }
}
