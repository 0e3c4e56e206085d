package io.imgtool.registry.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** skopeo and umoci, the independent clients that check what imgtool pushed. */
public final class Tools {
  private Tools() {}

  public static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/skopeo")) && Files.isExecutable(Path.of("/usr/bin/umoci"));
  }

  /** skopeo inspect (raw=false) of docker://REF, without TLS verification; creds may be null. */
  public static JsonNode skopeoInspect(String reference, String creds) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
    if (creds != null) {
      command.add("--creds=" + creds);
    }
    command.add("docker://" + reference);
    return Json.MAPPER.readTree(RegistryFixture.run(null, command));
  }

  /** skopeo copy to an OCI layout, then umoci unpack; returns the unpacked rootfs. */
  public static Path pullAndUnpack(String reference, String creds, Path work) throws Exception {
    Path layout = work.resolve("layout");
    List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false"));
    if (creds != null) {
      copy.add("--src-creds=" + creds);
    }
    copy.add("docker://" + reference);
    copy.add("oci:" + layout + ":test");
    RegistryFixture.run(null, copy);
    Path bundle = work.resolve("bundle");
    RegistryFixture.run(null, List.of("umoci", "unpack", "--rootless", "--image", layout + ":test", bundle.toString()));
    return bundle.resolve("rootfs");
  }
}
