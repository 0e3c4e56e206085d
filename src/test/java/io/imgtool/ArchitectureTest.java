package io.imgtool;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of ../shared/design/architecture.md, enforced. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.imgtool");

  @Test
  void nothingImportsTheCli() {
    noClasses().that().resideOutsideOfPackage("io.imgtool.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.imgtool.cli..")
        .check(CLASSES);
  }

  @Test
  void theCliReachesTheEnginesOnlyThroughTheApplicationPackage() {
    noClasses().that().resideInAPackage("io.imgtool.cli..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.imgtool.layer..", "io.imgtool.mutate..", "io.imgtool.store..",
            "io.imgtool.registry..", "io.imgtool.archive..")
        .check(CLASSES);
  }

  @Test
  void enginesDoNotImportTheApplicationPackage() {
    noClasses().that().resideInAnyPackage(
            "io.imgtool.name..", "io.imgtool.image..", "io.imgtool.layer..", "io.imgtool.mutate..",
            "io.imgtool.store..", "io.imgtool.registry..", "io.imgtool.archive..")
        .should().dependOnClassesThat().resideInAPackage("io.imgtool.images..")
        .check(CLASSES);
  }

  @Test
  void nameAndImageStandAlone() {
    noClasses().that().resideInAPackage("io.imgtool.name..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.imgtool.image..", "io.imgtool.layer..", "io.imgtool.mutate..", "io.imgtool.store..",
            "io.imgtool.registry..", "io.imgtool.archive..", "io.imgtool.images..")
        .check(CLASSES);
    noClasses().that().resideInAPackage("io.imgtool.image..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.imgtool.layer..", "io.imgtool.mutate..", "io.imgtool.store..",
            "io.imgtool.registry..", "io.imgtool.archive..")
        .check(CLASSES);
  }

  @Test
  void enginesDoNotImportEachOther() {
    String[] engines = {"layer", "mutate", "store", "registry", "archive"};
    for (String engine : engines) {
      for (String other : engines) {
        if (engine.equals(other) || (engine.equals("mutate") && other.equals("layer"))) {
          continue;
        }
        noClasses().that().resideInAPackage("io.imgtool." + engine + "..")
            .should().dependOnClassesThat().resideInAPackage("io.imgtool." + other + "..")
            .allowEmptyShould(true)
            .check(CLASSES);
      }
    }
  }

  @Test
  void onlyCredentialCodeUsesJib() {
    noClasses().that().resideOutsideOfPackage("io.imgtool.registry.credentials..")
        .should().dependOnClassesThat().resideInAPackage("com.google.cloud.tools.jib..")
        .check(CLASSES);
  }
}
