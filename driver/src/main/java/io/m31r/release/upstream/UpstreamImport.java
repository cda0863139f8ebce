package io.m31r.release.upstream;

import io.m31r.release.fs.FileTrees;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.bundle.ChecksumFile;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.config.WeightMismatchException;
import io.m31r.release.model.safetensors.F32SafetensorsWriter;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code m31r import-upstream}: one checkpoint of an upstream run as the inputs of a release,
 * <pre>
 * OUT/checkpoint/  model.safetensors, config.yaml, tokenizer.json, checksum.txt (a verified bundle)
 * OUT/config.yaml  the run's config in this project's format
 * OUT/tokenizer.json  the run's tokenizer, byte for byte
 * OUT/upstream-import.json  where it all came from: run, step, seed, sha256 of model.pt and metadata.json
 * </pre>
 * Everything is written into a sibling temporary folder first and renamed into place, so a refused
 * or failed import leaves no OUT at all. The weights are written with both tied keys
 * ({@code output.weight} a copy of the embedding, as upstream's own state dict holds it) and the
 * run's seed and step in the safetensors metadata; the same checkpoint imports to the same bytes.
 */
public final class UpstreamImport {
  public static final String CHECKPOINT = "checkpoint";
  public static final String CONFIG = ReleaseFiles.CONFIG;
  public static final String TOKENIZER = ReleaseFiles.TOKENIZER;
  public static final String RECORD = "upstream-import.json";

  /** What was imported. */
  public record Result(Path out, int step, long seed, int tensors, String modelSha256) {}

  public Result run(UpstreamRun run, Path out) {
    if (Files.exists(out)) {
      throw new BadInputException("--out " + out + " already exists; import-upstream never overwrites");
    }
    String configYaml = UpstreamConfigMapping.toYaml(run);
    ModelConfig config = ModelConfigReader.parse(configYaml, CONFIG);
    List<TorchCheckpoint.Tensor> weights = TorchCheckpoint.read(run.weights());
    List<F32SafetensorsWriter.Tensor> tensors = layout(config, weights, run.weights());
    Path parent = out.toAbsolutePath().normalize().getParent();
    Path tmp;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".import-");
    } catch (IOException e) {
      throw new InfrastructureException("cannot create a folder beside " + out + ": " + e.getMessage(), e);
    }
    try {
      Path ck = Files.createDirectory(tmp.resolve(CHECKPOINT));
      Path model = ck.resolve(ReleaseFiles.MODEL);
      F32SafetensorsWriter.write(model, metadata(run), tensors);
      WeightLayout.check(config, SafetensorsFile.open(model));
      Files.writeString(tmp.resolve(CONFIG), configYaml, StandardCharsets.UTF_8);
      Files.copy(run.tokenizer(), tmp.resolve(TOKENIZER));
      Files.copy(tmp.resolve(CONFIG), ck.resolve(CONFIG));
      Files.copy(run.tokenizer(), ck.resolve(TOKENIZER));
      SortedMap<String, String> digests = ChecksumFile.writeForBundle(ck);
      Files.write(tmp.resolve(RECORD), record(run, digests.get(ReleaseFiles.MODEL)));
      Files.move(tmp, out);
      return new Result(out, run.step(), run.seed(), tensors.size(), digests.get(ReleaseFiles.MODEL));
    } catch (IOException e) {
      throw new InfrastructureException("cannot write the import into " + tmp + ": " + e.getMessage(), e);
    } finally {
      FileTrees.deleteQuietly(tmp);
    }
  }

  /** The layout's tensors in its order, then the output head: both tied keys, checked equal. */
  static List<F32SafetensorsWriter.Tensor> layout(ModelConfig config, List<TorchCheckpoint.Tensor> weights, Path file) {
    Map<String, TorchCheckpoint.Tensor> byName = new LinkedHashMap<>();
    weights.forEach(t -> byName.put(t.name(), t));
    Map<String, long[]> required = WeightLayout.required(config);
    List<String> problems = new ArrayList<>();
    List<F32SafetensorsWriter.Tensor> out = new ArrayList<>();
    for (Map.Entry<String, long[]> r : required.entrySet()) {
      TorchCheckpoint.Tensor t = byName.get(r.getKey());
      if (t == null) {
        problems.add("missing tensor '" + r.getKey() + "'");
      } else if (!Arrays.equals(t.shape(), r.getValue())) {
        problems.add("tensor '" + r.getKey() + "' has shape " + Arrays.toString(t.shape()) + ", config needs " + Arrays.toString(r.getValue()));
      } else {
        out.add(new F32SafetensorsWriter.Tensor(t.name(), t.shape(), t.values()));
      }
    }
    for (String name : byName.keySet()) {
      if (!required.containsKey(name) && !name.equals(WeightLayout.OUTPUT)) {
        problems.add("unexpected tensor '" + name + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new WeightMismatchException(file + " does not match the run's model config: " + String.join("; ", problems));
    }
    TorchCheckpoint.Tensor embedding = byName.get(WeightLayout.EMBEDDING);
    TorchCheckpoint.Tensor head = byName.get(WeightLayout.OUTPUT);
    if (head != null && (!Arrays.equals(head.shape(), embedding.shape()) || !Arrays.equals(head.values(), embedding.values()))) {
      throw new WeightMismatchException(file + ": output.weight differs from the embedding; this runtime runs tied models only");
    }
    out.add(new F32SafetensorsWriter.Tensor(WeightLayout.OUTPUT, embedding.shape(), embedding.values()));
    return out;
  }

  private static Map<String, String> metadata(UpstreamRun run) {
    Map<String, String> m = new TreeMap<>();
    m.put("format", "pt");
    m.put("seed", Long.toString(run.seed()));
    m.put("step", Integer.toString(run.step()));
    m.put("source", "upstream M31R run " + run.runDir().getFileName() + ", checkpoints/" + run.stepDir().getFileName() + "/model.pt");
    m.put("source_sha256", FileDigests.sha256(run.weights()));
    return m;
  }

  private static byte[] record(UpstreamRun run, String modelSha256) {
    ObjectNode r = CanonicalJson.mapper().createObjectNode();
    r.put("run", String.valueOf(run.runDir().getFileName()));
    r.put("step", run.step());
    r.put("seed", run.seed());
    r.put("model_pt_sha256", FileDigests.sha256(run.weights()));
    r.put("metadata_json_sha256", FileDigests.sha256(run.stepDir().resolve("metadata.json")));
    r.put("tokenizer_sha256", FileDigests.sha256(run.tokenizer()));
    r.put("model_safetensors_sha256", modelSha256);
    return CanonicalJson.bytes(r);
  }
}
