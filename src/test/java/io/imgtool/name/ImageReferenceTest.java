package io.imgtool.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @CsvSource({
      "ubuntu, docker.io/library/ubuntu:latest, ubuntu:latest",
      "ubuntu:22.04, docker.io/library/ubuntu:22.04, ubuntu:22.04",
      "myubuntu:1.1, docker.io/library/myubuntu:1.1, myubuntu:1.1",
      "atguiguwh/myubuntu, docker.io/atguiguwh/myubuntu:latest, atguiguwh/myubuntu:latest",
      "docker.io/ubuntu, docker.io/library/ubuntu:latest, ubuntu:latest",
      "index.docker.io/library/ubuntu:1, docker.io/library/ubuntu:1, ubuntu:1",
      "192.168.111.162:5000/yyubuntu:1.2, 192.168.111.162:5000/yyubuntu:1.2, 192.168.111.162:5000/yyubuntu:1.2",
      "registry.cn-hangzhou.aliyuncs.com/atguiguwh/myubuntu:1.1,"
          + " registry.cn-hangzhou.aliyuncs.com/atguiguwh/myubuntu:1.1,"
          + " registry.cn-hangzhou.aliyuncs.com/atguiguwh/myubuntu:1.1",
      "localhost/app, localhost/app:latest, localhost/app:latest",
      "localhost:5000/a/b/c:v1.2-rc_3, localhost:5000/a/b/c:v1.2-rc_3, localhost:5000/a/b/c:v1.2-rc_3",
      "host:5000/ns/repo, host:5000/ns/repo:latest, host:5000/ns/repo:latest",
      "[::1]:5000/repo:t, [::1]:5000/repo:t, [::1]:5000/repo:t",
      // Found by ImageReferenceFuzzTest (seed familiar-library-nested): the familiar form named
      // the registry localhost. Docker drops library/ only before a single component.
      "library/localhost/0000000000001, docker.io/library/localhost/0000000000001:latest,"
          + " library/localhost/0000000000001:latest",
      "library/a/b, docker.io/library/a/b:latest, library/a/b:latest",
      // A Docker Hub namespace with a dot reads as a host once docker.io/ is dropped: kept.
      "docker.io/foo.com/app:1, docker.io/foo.com/app:1, docker.io/foo.com/app:1",
      "localhost.x/app, localhost.x/app:latest, localhost.x/app:latest",
  })
  void normalisesAsDockerDoes(String input, String full, String familiar) {
    ImageReference ref = ImageReference.parse(input);
    assertEquals(full, ref.toString());
    assertEquals(familiar, ref.familiar());
  }

  @org.junit.jupiter.api.Test
  void keepsDigestWithoutDefaultTag() {
    ImageReference ref = ImageReference.parse("repo@" + DIGEST);
    assertEquals("docker.io/library/repo@" + DIGEST, ref.toString());
    assertEquals(null, ref.tag());
    ImageReference both = ImageReference.parse("host:5000/repo:1@" + DIGEST);
    assertEquals("1", both.tag());
    assertEquals(DIGEST, both.digest());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "Ubuntu", "my_ubuntu_/x", "-abc", "repo:", "repo:-tag", "repo@sha256:abc", "a//b",
      "host:5000/", "repo:tag with space", "repo@md5:0123", ":tag",
  })
  void refusesMalformedNames(String input) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));
    assertTrue(e.getMessage().startsWith("invalid reference format"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void saysRepositoryNamesMustBeLowerCase() {
    InvalidReferenceException e = assertThrows(
        InvalidReferenceException.class, () -> ImageReference.parse("host:5000/MyRepo:1"));
    assertTrue(e.getMessage().contains("must be lowercase"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "192.168.111.162:5000, 192.168.111.162:5000",
      "https://Registry.CN-hangzhou.aliyuncs.com/v2/, registry.cn-hangzhou.aliyuncs.com",
      "index.docker.io, docker.io",
      "myregistry, myregistry",
      "localhost:5000, localhost:5000",
  })
  void parsesRegistriesNamedOnTheirOwn(String input, String expected) {
    assertEquals(expected, ImageReference.parseRegistry(input));
  }

  @org.junit.jupiter.api.Test
  void refusesMalformedRegistries() {
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parseRegistry("bad host"));
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parseRegistry(""));
  }
}
