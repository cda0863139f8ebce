package io.m31r.release.formats;

import java.util.List;

/**
 * The file names of a model bundle and of a release directory, their one home: a release holds
 * these six and nothing else; a bundle holds at least the three runtime files.
 */
public final class ReleaseFiles {
  public static final String MODEL = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String CONFIG = "config.yaml";
  public static final String METADATA = "metadata.json";
  public static final String CHECKSUM = "checksum.txt";
  public static final String README = "README.txt";

  /** Every file checksum.txt covers, in its byte order. */
  public static final List<String> COVERED =
      List.of(README, CONFIG, METADATA, MODEL, TOKENIZER).stream().sorted(Sha256sumListing::compareUtf8).toList();

  /** The three files a runtime loads: a model bundle (a checkpoint folder, a shipped candidate). */
  public static final List<String> RUNTIME = List.of(CONFIG, MODEL, TOKENIZER);

  /** All six, in byte order. */
  public static final List<String> ALL =
      List.of(README, CHECKSUM, CONFIG, METADATA, MODEL, TOKENIZER).stream().sorted(Sha256sumListing::compareUtf8).toList();

  private ReleaseFiles() {}
}
