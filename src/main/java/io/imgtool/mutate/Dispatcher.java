package io.imgtool.mutate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies instructions to the container defaults with the semantics of Docker's builder
 * dispatchers, and describes each one for the image history. One dispatcher serves one set of
 * changes: it remembers whether CMD was set, which decides what ENTRYPOINT does to CMD.
 */
final class Dispatcher {
  private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^\\s*ONBUILD\\s*");

  private final ContainerConfig config;
  private final String os;
  private boolean cmdSet;

  Dispatcher(ObjectNode containerConfig, String os) {
    this.config = new ContainerConfig(containerConfig);
    this.os = os == null ? "linux" : os;
  }

  /** Applies one instruction and returns its history text (created_by). */
  String dispatch(Instruction ins) {
    if (!ins.keyword().equals("HEALTHCHECK")) {
      BuilderFlags.parse(ins, Set.of()); // no other instruction takes flags
    }
    return switch (ins.keyword()) {
      case "ENV" -> env(ins);
      case "LABEL" -> label(ins);
      case "EXPOSE" -> expose(ins);
      case "USER" -> user(ins);
      case "WORKDIR" -> workdir(ins);
      case "VOLUME" -> volume(ins);
      case "STOPSIGNAL" -> stopSignal(ins);
      case "ONBUILD" -> onbuild(ins);
      case "CMD" -> cmd(ins);
      case "ENTRYPOINT" -> entrypoint(ins);
      case "HEALTHCHECK" -> Healthcheck.apply(ins, config);
      default -> throw new IllegalStateException("not a commit instruction: " + ins.keyword());
    };
  }

  private String env(Instruction ins) {
    List<Words.KeyValue> pairs = expandPairs(ins);
    pairs.forEach(pair -> config.setEnv(pair.key(), pair.value()));
    return "ENV " + HistoryText.pairs(pairs);
  }

  private String label(Instruction ins) {
    List<Words.KeyValue> pairs = expandPairs(ins);
    ObjectNode labels = config.object("Labels");
    pairs.forEach(pair -> labels.put(pair.key(), pair.value()));
    return "LABEL " + HistoryText.pairs(pairs);
  }

  /** Every key and value is expanded with the environment from before the instruction. */
  private List<Words.KeyValue> expandPairs(Instruction ins) {
    Map<String, String> env = config.env();
    List<Words.KeyValue> result = new ArrayList<>();
    for (Words.KeyValue pair : Words.keyValues(ins)) {
      result.add(new Words.KeyValue(expand(ins, pair.key(), env), expand(ins, pair.value(), env)));
    }
    return result;
  }

  private String expose(Instruction ins) {
    if (ins.args().isEmpty()) {
      throw ins.invalid("EXPOSE requires at least one argument");
    }
    String[] specs = DockerfileText.WHITESPACE.split(ins.args());
    Arrays.sort(specs); // as Docker does; the order shows in the history text only
    Map<String, String> env = config.env();
    List<String> ports = new ArrayList<>();
    for (String spec : specs) {
      try {
        ports.addAll(ShellLex.processWords(spec, env));
      } catch (IllegalArgumentException e) {
        throw ins.invalid(e.getMessage());
      }
    }
    ObjectNode exposed = config.object("ExposedPorts");
    for (String port : ports) {
      try {
        PortSpecs.parse(port).forEach(key -> exposed.putObject(key));
      } catch (IllegalArgumentException e) {
        throw ins.invalid(e.getMessage());
      }
    }
    return "EXPOSE " + String.join(" ", ports);
  }

  private String user(Instruction ins) {
    String user = expand(ins, exactlyOne(ins), config.env());
    config.setText("User", user);
    return "USER " + user;
  }

  private String workdir(Instruction ins) {
    String requested = expand(ins, exactlyOne(ins), config.env());
    if (requested.isEmpty()) {
      throw ins.invalid("WORKDIR is empty after variable substitution");
    }
    String dir = requested.startsWith("/")
        ? UnixPaths.clean(requested)
        : UnixPaths.clean("/" + config.text("WorkingDir") + "/" + requested);
    config.setText("WorkingDir", dir);
    return "WORKDIR " + dir;
  }

  private String volume(Instruction ins) {
    List<String> raw = JsonArgs.parse(ins, ins.args())
        .orElseGet(() -> ins.args().isEmpty() ? List.of()
            : Arrays.asList(DockerfileText.WHITESPACE.split(ins.args())));
    if (raw.isEmpty()) {
      throw ins.invalid("VOLUME requires at least one argument");
    }
    Map<String, String> env = config.env();
    List<String> volumes = new ArrayList<>();
    for (String volume : raw) {
      String path = volume.isBlank() ? "" : expand(ins, volume.strip(), env);
      if (path.isEmpty()) {
        throw ins.invalid("VOLUME specified can not be an empty string");
      }
      volumes.add(path);
    }
    ObjectNode declared = config.object("Volumes");
    volumes.forEach(declared::putObject);
    return "VOLUME " + HistoryText.json(volumes);
  }

  private String stopSignal(Instruction ins) {
    String signal = expand(ins, exactlyOne(ins), config.env());
    if (!StopSignals.isValid(signal)) {
      throw ins.invalid("Invalid signal: " + signal);
    }
    config.setText("StopSignal", signal);
    return "STOPSIGNAL " + signal;
  }

  private String onbuild(Instruction ins) {
    if (ins.args().isEmpty()) {
      throw ins.invalid("ONBUILD requires at least one argument");
    }
    String trigger = Instruction.parse(ins.args()).keyword();
    if (trigger.equals("ONBUILD")) {
      throw ins.invalid("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    }
    if (trigger.equals("FROM") || trigger.equals("MAINTAINER")) {
      throw ins.invalid(trigger + " isn't allowed as an ONBUILD trigger");
    }
    // Docker stores the trigger as written, keyword case included.
    String expression = ONBUILD_PREFIX.matcher(ins.original()).replaceFirst("");
    List<String> triggers = config.strings("OnBuild");
    triggers.add(expression);
    config.setStrings("OnBuild", triggers);
    return "ONBUILD " + expression;
  }

  private String cmd(Instruction ins) {
    CommandLine line = CommandLine.resolve(ins, config, os);
    config.setStrings("Cmd", line.args());
    config.setArgsEscaped(line.argsEscaped());
    if (!line.args().isEmpty()) {
      cmdSet = true;
    }
    return "CMD " + HistoryText.json(line.args());
  }

  private String entrypoint(Instruction ins) {
    CommandLine line = CommandLine.resolve(ins, config, os);
    config.setStrings("Entrypoint", line.args());
    config.setArgsEscaped(line.argsEscaped());
    if (!cmdSet) {
      config.json().remove("Cmd"); // an inherited CMD was meant for the old entrypoint
    }
    return "ENTRYPOINT " + HistoryText.json(line.args());
  }

  private static String exactlyOne(Instruction ins) {
    if (ins.args().isEmpty()) {
      throw ins.invalid(ins.keyword() + " requires exactly one argument");
    }
    return ins.args();
  }

  private static String expand(Instruction ins, String word, Map<String, String> env) {
    try {
      return ShellLex.processWord(word, env);
    } catch (IllegalArgumentException e) {
      throw ins.invalid(e.getMessage());
    }
  }
}
