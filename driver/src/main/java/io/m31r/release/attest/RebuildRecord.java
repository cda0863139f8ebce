package io.m31r.release.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hashing.Hex;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.signing.ModelSigningStatement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a rebuild done elsewhere claims (docs/rebuild.md, "Attested rebuilds"): the rebuilt model's
 * digest, the frozen inputs it was trained from, the command and the machine. Its byte form is an
 * in-toto statement whose one subject is the rebuilt {@code model.safetensors}, rendered as
 * canonical JSON so one record has one payload.
 */
public record RebuildRecord(String modelSha256, Inputs inputs, String command, Machine machine) {
  public static final String PREDICATE_TYPE = "https://m31r-release.invalid/attestations/rebuild/v1";

  /** The frozen inputs, as export freezes them: dataset root digest, tokenizer and config SHA-256, seed. */
  public record Inputs(String datasetRootSha256, String tokenizerSha256, String trainingConfigSha256, long seed) {
    public Inputs {
      sha256("predicate.inputs.dataset_root_sha256", datasetRootSha256);
      sha256("predicate.inputs.tokenizer_sha256", tokenizerSha256);
      sha256("predicate.inputs.training_config_sha256", trainingConfigSha256);
    }
  }

  /**
   * Where it ran. {@code device} is {@code cpu} or the GPU's name: GPU kernels give no identity
   * across devices, so a GPU rebuild compares only with a candidate trained on the same kind.
   */
  public record Machine(String host, String cpuModel, String device) {
    public Machine {
      nonBlank("predicate.machine.host", host);
      nonBlank("predicate.machine.cpu_model", cpuModel);
      nonBlank("predicate.machine.device", device);
    }
  }

  public RebuildRecord {
    sha256("subject[0].digest.sha256", modelSha256);
    if (inputs == null) {
      throw new BadInputException("rebuild record: predicate.inputs is missing");
    }
    nonBlank("predicate.command", command);
    if (machine == null) {
      throw new BadInputException("rebuild record: predicate.machine is missing");
    }
  }

  /** The statement's canonical JSON bytes: what is signed. */
  public byte[] statement() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode st = f.objectNode();
    st.put("_type", ModelSigningStatement.STATEMENT_TYPE);
    ObjectNode subject = st.putArray("subject").addObject();
    subject.put("name", ReleaseFiles.MODEL);
    subject.putObject("digest").put("sha256", modelSha256);
    st.put("predicateType", PREDICATE_TYPE);
    ObjectNode p = st.putObject("predicate");
    p.put("command", command);
    ObjectNode in = p.putObject("inputs");
    in.put("dataset_root_sha256", inputs.datasetRootSha256());
    in.put("seed", inputs.seed());
    in.put("tokenizer_sha256", inputs.tokenizerSha256());
    in.put("training_config_sha256", inputs.trainingConfigSha256());
    ObjectNode m = p.putObject("machine");
    m.put("cpu_model", machine.cpuModel());
    m.put("device", machine.device());
    m.put("host", machine.host());
    return CanonicalJson.bytes(st);
  }

  /**
   * Reads a statement strictly: every field present with its type, no field this format lacks.
   * Failures are bad input (exit 2) naming {@code source} and the field.
   */
  public static RebuildRecord parse(JsonNode st, String source) {
    Fields f = new Fields(source);
    f.exactly("", st, Set.of("_type", "subject", "predicateType", "predicate"));
    if (!ModelSigningStatement.STATEMENT_TYPE.equals(f.text(st, "_type", "_type"))) {
      throw f.bad("_type", "is not " + ModelSigningStatement.STATEMENT_TYPE);
    }
    if (!PREDICATE_TYPE.equals(f.text(st, "predicateType", "predicateType"))) {
      throw f.bad("predicateType", "is not " + PREDICATE_TYPE);
    }
    JsonNode subjects = st.get("subject");
    if (!subjects.isArray() || subjects.size() != 1) {
      throw f.bad("subject", "must hold exactly one entry, the rebuilt " + ReleaseFiles.MODEL);
    }
    JsonNode subject = subjects.get(0);
    f.exactly("subject[0].", subject, Set.of("name", "digest"));
    if (!ReleaseFiles.MODEL.equals(f.text(subject, "name", "subject[0].name"))) {
      throw f.bad("subject[0].name", "must be " + ReleaseFiles.MODEL);
    }
    f.exactly("subject[0].digest.", subject.get("digest"), Set.of("sha256"));
    JsonNode p = st.get("predicate");
    f.exactly("predicate.", p, Set.of("command", "inputs", "machine"));
    JsonNode in = p.get("inputs");
    f.exactly("predicate.inputs.", in, Set.of("dataset_root_sha256", "seed", "tokenizer_sha256", "training_config_sha256"));
    JsonNode m = p.get("machine");
    f.exactly("predicate.machine.", m, Set.of("cpu_model", "device", "host"));
    JsonNode seed = in.get("seed");
    if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
      throw f.bad("predicate.inputs.seed", "must be an integer");
    }
    try {
      return new RebuildRecord(
          f.text(subject.get("digest"), "sha256", "subject[0].digest.sha256"),
          new Inputs(
              f.text(in, "dataset_root_sha256", "predicate.inputs.dataset_root_sha256"),
              f.text(in, "tokenizer_sha256", "predicate.inputs.tokenizer_sha256"),
              f.text(in, "training_config_sha256", "predicate.inputs.training_config_sha256"),
              seed.longValue()),
          f.text(p, "command", "predicate.command"),
          new Machine(
              f.text(m, "host", "predicate.machine.host"),
              f.text(m, "cpu_model", "predicate.machine.cpu_model"),
              f.text(m, "device", "predicate.machine.device")));
    } catch (BadInputException e) {
      throw new BadInputException(source + ": " + e.getMessage().replaceFirst("^rebuild record: ", ""));
    }
  }

  private static void sha256(String field, String value) {
    if (!Hex.isSha256(value)) {
      throw new BadInputException("rebuild record: " + field + " must be a SHA-256 in 64 lower-case hex digits: " + value);
    }
  }

  private static void nonBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new BadInputException("rebuild record: " + field + " must be a non-empty string");
    }
  }

  /** Strict field access naming the record and the dotted field in each failure. */
  private record Fields(String source) {
    void exactly(String prefix, JsonNode node, Set<String> expected) {
      String where = prefix.isEmpty() ? "the statement" : prefix.substring(0, prefix.length() - 1);
      if (node == null || !node.isObject()) {
        throw new BadInputException(source + ": " + where + " must be a JSON object");
      }
      for (String key : new TreeSet<>(expected)) {
        if (!node.has(key)) {
          throw new BadInputException(source + ": missing field " + prefix + key);
        }
      }
      List<String> unknown = new ArrayList<>();
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!expected.contains(name)) {
          unknown.add(prefix + name);
        }
      }
      if (!unknown.isEmpty()) {
        throw new BadInputException(source + ": unknown field " + String.join(", ", unknown));
      }
    }

    String text(JsonNode node, String key, String field) {
      JsonNode v = node.get(key);
      if (v == null || !v.isTextual()) {
        throw bad(field, "must be a string");
      }
      return v.textValue();
    }

    BadInputException bad(String field, String problem) {
      return new BadInputException(source + ": field " + field + " " + problem);
    }
  }
}
