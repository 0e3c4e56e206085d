package io.imgtool.mutate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HEALTHCHECK {@code NONE} or {@code [--interval=D] [--timeout=D] [--start-period=D]
 * [--start-interval=D] [--retries=N] CMD command}, stored as Docker stores it: Test plus the
 * durations in nanoseconds, zero values left out.
 */
final class Healthcheck {
  private static final long MINIMUM_NANOS = 1_000_000; // Docker's container.MinimumDuration
  private static final Map<String, String> DURATION_FIELDS = Map.of(
      "interval", "Interval", "timeout", "Timeout", "start-period", "StartPeriod",
      "start-interval", "StartInterval");
  private static final List<String> FLAG_ORDER =
      List.of("interval", "timeout", "start-period", "start-interval", "retries");

  private Healthcheck() {}

  static String apply(Instruction ins, ContainerConfig config) {
    String args = ins.args();
    if (args.isEmpty()) {
      throw ins.invalid("HEALTHCHECK requires at least one argument");
    }
    String[] typeAndRest = args.split("\\s+", 2);
    String type = typeAndRest[0].toUpperCase(Locale.ROOT);
    String rest = typeAndRest.length > 1 ? typeAndRest[1] : "";
    ObjectNode health = config.json().putObject("Healthcheck");
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw ins.invalid("HEALTHCHECK NONE takes no arguments");
      }
      health.putArray("Test").add("NONE");
      return "HEALTHCHECK NONE";
    }
    Map<String, String> flags = BuilderFlags.parse(ins, Set.copyOf(FLAG_ORDER));
    if (!type.equals("CMD")) {
      throw ins.invalid("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    Optional<List<String>> exec = JsonArgs.parse(ins, rest);
    List<String> command = exec.orElse(rest.isEmpty() ? List.of() : List.of(rest));
    if (command.isEmpty()) {
      throw ins.invalid("Missing command after HEALTHCHECK CMD");
    }
    ArrayNode test = health.putArray("Test").add(exec.isPresent() ? "CMD" : "CMD-SHELL");
    command.forEach(test::add);
    for (String flag : FLAG_ORDER) {
      String value = flags.get(flag);
      if (value != null && !value.isEmpty()) {
        putSetting(ins, health, flag, value);
      }
    }
    return "HEALTHCHECK " + flagsText(flags) + "CMD "
        + (exec.isPresent() ? HistoryText.json(command) : rest);
  }

  private static void putSetting(Instruction ins, ObjectNode health, String flag, String value) {
    if (flag.equals("retries")) {
      int retries;
      try {
        retries = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw ins.invalid("--retries is not a number: " + value);
      }
      if (retries < 0) {
        throw ins.invalid("--retries cannot be negative (" + retries + ")");
      }
      if (retries > 0) {
        health.put("Retries", retries);
      }
      return;
    }
    long nanos;
    try {
      nanos = GoDuration.parseNanos(value);
    } catch (IllegalArgumentException e) {
      throw ins.invalid("--" + flag + ": " + e.getMessage());
    }
    if (nanos != 0 && nanos < MINIMUM_NANOS) {
      throw ins.invalid("Interval \"" + flag + "\" cannot be less than 1ms");
    }
    if (nanos != 0) {
      health.put(DURATION_FIELDS.get(flag), nanos);
    }
  }

  private static String flagsText(Map<String, String> flags) {
    List<String> words = new ArrayList<>();
    for (String flag : FLAG_ORDER) {
      if (flags.containsKey(flag)) {
        words.add("--" + flag + "=" + flags.get(flag) + " ");
      }
    }
    return String.join("", words);
  }
}
