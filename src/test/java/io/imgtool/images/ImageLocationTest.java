package io.imgtool.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.name.ImageReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageLocationTest {
  @Test
  void transportsAreSpelledAsSkopeoSpellsThem() {
    assertEquals(new ImageLocation.Layout(Path.of("./layout"), "v1"), ImageLocation.parse("oci:./layout:v1"));
    assertEquals(new ImageLocation.Layout(Path.of("/srv/layout"), null), ImageLocation.parse("oci:/srv/layout"));
    assertEquals(new ImageLocation.LayoutArchive(Path.of("app.tar"), "latest"), ImageLocation.parse("oci-archive:app.tar:latest"));
    assertEquals(new ImageLocation.DockerArchive(Path.of("x.tar"), "vendor/app:7"),
        ImageLocation.parse("docker-archive:x.tar:vendor/app:7"), "a name keeps its own colon");
    assertEquals(new ImageLocation.DockerArchive(Path.of("x.tar"), null), ImageLocation.parse("docker-archive:x.tar:"));
    assertEquals(new ImageLocation.Registry(ImageReference.parse("oci:5000/app:1")), ImageLocation.parse("docker://oci:5000/app:1"));
    assertEquals(new ImageLocation.Scratch(), ImageLocation.parse("scratch"));
    assertEquals(new ImageLocation.Named("localhost:5000/app:1"), ImageLocation.parse("localhost:5000/app:1"));
  }

  @Test
  void archivesAndLayoutsAreTheFileTransports() {
    assertTrue(ImageLocation.parse("oci:dir").isArchive());
    assertTrue(ImageLocation.parse("docker-archive:a.tar").isArchive());
    assertFalse(ImageLocation.parse("docker://reg/app").isArchive());
    assertFalse(ImageLocation.parse("app:1").isArchive());
    assertEquals("oci-archive:app.tar:v1", ImageLocation.parse("oci-archive:app.tar:v1").text());
    assertEquals(Path.of("a.tar"), ImageLocation.parse("docker-archive:a.tar:x:1").path());
    assertEquals("x:1", ImageLocation.parse("docker-archive:a.tar:x:1").ref());
  }

  @Test
  void aTransportWithoutAPathSaysWhatToWrite() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ImageLocation.parse("oci::v1"));
    assertTrue(e.getMessage().contains("names no path") && e.getMessage().contains("oci:./layout:v1"), e.getMessage());
  }
}
