package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransportPolicyTest {
  private final TransportPolicy settings = TransportPolicy.builder()
      .insecureRegistries(List.of("192.168.111.162:5000", "registry.internal", "10.0.0.0/8", "fd00::/8",
          "http://plain.example:5000/"))
      .insecure("cli.example.com")
      .build();

  @Test
  void loopbackIsInsecureAsInDocker() {
    assertTrue(settings.isInsecure("localhost:5000"));
    assertTrue(settings.isInsecure("127.0.0.1:5000"));
    assertTrue(settings.isInsecure("127.8.9.10"));
    assertTrue(settings.isInsecure("[::1]:5000"));
    assertFalse(TransportPolicy.builder().loopbackInsecure(false).build().isInsecure("127.0.0.1:5000"));
  }

  @Test
  void settingsMatchByHostPortHostOrCidr() {
    assertTrue(settings.isInsecure("192.168.111.162:5000"));
    assertFalse(settings.isInsecure("192.168.111.162:5001"));
    assertTrue(settings.isInsecure("registry.internal:443"));
    assertTrue(settings.isInsecure("10.1.2.3:5000"));
    assertFalse(settings.isInsecure("11.1.2.3:5000"));
    assertTrue(settings.isInsecure("[fd12::1]:5000"));
    assertTrue(settings.isInsecure("cli.example.com"));
    assertFalse(settings.isInsecure("registry.cn-hangzhou.aliyuncs.com"));
    assertFalse(settings.isInsecure("docker.io"));
  }

  @Test
  void anHttpEntryGoesStraightToPlainHttp() {
    assertTrue(settings.isInsecure("plain.example:5000"));
    assertTrue(settings.isPlainHttpOnly("plain.example:5000"));
    assertFalse(settings.isPlainHttpOnly("registry.internal"));
  }

  @Test
  void hostNamesAreNeverResolvedForCidrs() {
    // "localhost.example" must not be looked up in DNS to test CIDR membership
    assertFalse(settings.isInsecure("ten.example.com"));
  }
}
