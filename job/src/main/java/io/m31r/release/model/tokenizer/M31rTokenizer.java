package io.m31r.release.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.model.runtime.DjlSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A bundle's byte-level BPE tokenizer. Encoding goes through HuggingFace tokenizers (via DJL) with
 * no special tokens added, as upstream trains and generates; decoding is done here from the
 * vocabulary, because upstream files have a null decoder and HuggingFace would then join token
 * strings with spaces and leave {@code Ġ} in the text.
 */
public final class M31rTokenizer implements AutoCloseable {
  public static final String EOS = "<eos>";

  private static final ObjectMapper JSON =
      StrictMappers.json();

  private final HuggingFaceTokenizer tokenizer;
  private final String file;
  private final String[] tokens;
  private final boolean[] special;
  private final OptionalInt eosId;

  private M31rTokenizer(
      HuggingFaceTokenizer tokenizer, String file, String[] tokens, boolean[] special, OptionalInt eosId) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.tokens = tokens;
    this.special = special;
    this.eosId = eosId;
  }

  public static M31rTokenizer load(Path tokenizerJson) {
    String file = String.valueOf(tokenizerJson.getFileName());
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(tokenizerJson));
    } catch (JsonProcessingException e) {
      throw new UnsupportedTokenizerException(
          file + " is not valid JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "), e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + tokenizerJson + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new UnsupportedTokenizerException(file + " is not a JSON object");
    }
    JsonNode model = root.path("model");
    if (!"BPE".equals(model.path("type").asText(null))) {
      throw new UnsupportedTokenizerException(file + " model.type is not BPE");
    }
    if (!usesByteLevel(root.path("pre_tokenizer"))) {
      throw new UnsupportedTokenizerException(
          file + " has no ByteLevel pre_tokenizer; only byte-level BPE decodes exactly here");
    }
    JsonNode vocab = model.path("vocab");
    if (!vocab.isObject()) {
      throw new UnsupportedTokenizerException(file + " model.vocab is not an object");
    }
    int size = 0;
    for (JsonNode id : vocab) {
      size = Math.max(size, checkedId(file, id) + 1);
    }
    JsonNode added = root.path("added_tokens");
    for (JsonNode t : added) {
      size = Math.max(size, checkedId(file, t.path("id")) + 1);
    }
    if (size == 0) {
      throw new UnsupportedTokenizerException(file + " has an empty vocabulary");
    }
    String[] tokens = new String[size];
    boolean[] special = new boolean[size];
    Iterator<Map.Entry<String, JsonNode>> it = vocab.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      tokens[e.getValue().intValue()] = e.getKey();
    }
    OptionalInt eos = OptionalInt.empty();
    for (JsonNode t : added) {
      int id = t.path("id").intValue();
      String content = t.path("content").asText();
      tokens[id] = content;
      special[id] = t.path("special").asBoolean(false);
      if (content.equals(EOS)) {
        eos = OptionalInt.of(id);
      }
    }
    DjlSetup.forceOffline();
    try {
      HuggingFaceTokenizer hf =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(false)
              .build();
      M31rTokenizer t = new M31rTokenizer(hf, file, tokens, special, eos);
      try {
        // The native tokenizer reports a broken vocabulary (an unk token it lacks, say) only when
        // it encodes; once here, at load, it is an error about the file rather than about a prompt.
        t.encode("fn main() {\n    let s = \"\u00e9\";\n}\n");
      } catch (UnsupportedTokenizerException e) {
        t.close();
        throw e;
      }
      return t;
    } catch (IOException | RuntimeException e) {
      if (e instanceof UnsupportedTokenizerException u) {
        throw u;
      }
      throw new UnsupportedTokenizerException(
          "HuggingFace tokenizers cannot load " + file + ": " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), e);
    }
  }

  private static boolean usesByteLevel(JsonNode preTokenizer) {
    if ("ByteLevel".equals(preTokenizer.path("type").asText(null))) {
      return true;
    }
    for (JsonNode child : preTokenizer.path("pretokenizers")) {
      if (usesByteLevel(child)) {
        return true;
      }
    }
    return false;
  }

  private static int checkedId(String file, JsonNode id) {
    if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
      throw new UnsupportedTokenizerException(file + " holds a token id that is not a non-negative int: " + id);
    }
    return id.intValue();
  }

  /** Token ids for the text, with no BOS/EOS or other special tokens added. */
  public int[] encode(String text) {
    Encoding encoding;
    try {
      encoding = tokenizer.encode(text, false, false);
    } catch (RuntimeException e) {
      // The native library's errors come from the file's content: bad input, never a retry.
      throw new UnsupportedTokenizerException(
          file + " cannot encode text: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), e);
    }
    long[] ids = encoding.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** The exact bytes the ids spell; special tokens (pad, unk, bos, eos) contribute nothing. */
  public byte[] decodeBytes(int[] ids, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      int id = ids[i];
      if (id < 0 || id >= tokens.length || tokens[id] == null) {
        throw new IllegalArgumentException("token id " + id + " is not in the vocabulary");
      }
      if (special[id]) {
        continue;
      }
      if (!ByteLevelAlphabet.appendBytes(tokens[id], out)) {
        // Non-special added tokens are stored as plain text, not in the byte alphabet.
        out.writeBytes(tokens[id].getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /**
   * The source text the ids spell. A multi-byte character cut at the end shows as U+FFFD until the
   * tokens that complete it arrive, which is what incremental stop-string checks want.
   */
  public String decode(int[] ids) {
    return new String(decodeBytes(ids, 0, ids.length), StandardCharsets.UTF_8);
  }

  /** One past the largest id the tokenizer can produce; model rows at or above it are never sampled. */
  public int vocabSize() {
    return tokens.length;
  }

  public OptionalInt eosId() {
    return eosId;
  }

  /** The token's string as stored in the vocabulary (byte-level spelling), for diagnostics. */
  public String tokenString(int id) {
    return tokens[id];
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
