package io.m31r.release.packaging;

import io.m31r.release.hashing.Sha256sumListing;
import java.util.List;

/** The six file names a release directory holds, and nothing else. */
public final class ReleaseFiles {
  public static final String MODEL = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String CONFIG = "config.yaml";
  public static final String METADATA = ReleaseMetadataCodec.FILE;
  public static final String CHECKSUM = "checksum.txt";
  public static final String README = "README.txt";

  /** Every file checksum.txt covers, in its byte order. */
  public static final List<String> COVERED =
      List.of(README, CONFIG, METADATA, MODEL, TOKENIZER).stream().sorted(Sha256sumListing::compareUtf8).toList();

  /** All six, in byte order. */
  public static final List<String> ALL =
      List.of(README, CHECKSUM, CONFIG, METADATA, MODEL, TOKENIZER).stream().sorted(Sha256sumListing::compareUtf8).toList();

  private ReleaseFiles() {}
}
