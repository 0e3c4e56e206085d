package io.imgtool.registry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  private static ObjectNode sample() {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("schemaVersion", 2);
    node.putArray("empty");
    node.putObject("none");
    node.putArray("layers").addObject().put("size", 7).put("url", "https://x/?a=<1>&b\n");
    return node;
  }

  @Test
  void compactIsGosMarshalWithItsHtmlSafeEscapes() {
    assertEquals("{\"schemaVersion\":2,\"empty\":[],\"none\":{},\"layers\":[{\"size\":7,"
        + "\"url\":\"https://x/?a=\\u003c1\\u003e\\u0026b\\n\"}]}",
        new String(GoJson.compact(sample()), StandardCharsets.UTF_8));
  }

  @Test
  void indentedIsGosMarshalIndentAsDockerPushWritesIt() {
    assertEquals("{\n   \"schemaVersion\": 2,\n   \"empty\": [],\n   \"none\": {},\n   \"layers\": [\n"
        + "      {\n         \"size\": 7,\n         \"url\": \"https://x/?a=\\u003c1\\u003e\\u0026b\\n\"\n      }\n   ]\n}",
        new String(GoJson.indented(sample(), "   "), StandardCharsets.UTF_8));
  }
}
