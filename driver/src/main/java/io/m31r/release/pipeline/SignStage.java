package io.m31r.release.pipeline;

import io.m31r.release.config.SigningSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.signing.KeySource;
import io.m31r.release.signing.Provenance;
import io.m31r.release.signing.ReleaseSigner;
import io.m31r.release.signing.SignatureFiles;
import io.m31r.release.signing.SigningKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The sign step, between validate and tag: an OpenSSF model-signing bundle over the staged release
 * folder and a DSSE-signed SLSA provenance, written beside the releases as immutable sidecars
 * ({@link ReleaseSigner}) before publish makes the release visible. The key is loaded when the
 * stage is prepared, before any work, so a missing key fails in seconds, not after the benchmark.
 */
public final class SignStage {
  /** What was written: the digests index.json and the report may record. */
  public record Signed(String signatureSha256, String provenanceSha256, String keyHint, SignatureFiles files) {}

  private final Optional<SigningSettings> settings;
  private final Optional<SigningKey> key;
  private final Instant startedOn;

  private SignStage(Optional<SigningSettings> settings, Optional<SigningKey> key, Instant startedOn) {
    this.settings = settings;
    this.key = key;
    this.startedOn = startedOn;
  }

  /**
   * Loads the key release.yaml names. No key where {@code required: true}: a gate (exit 3), since
   * the release would be published unsigned. Otherwise an unset environment variable means an
   * unsigned release, said so in the progress output; a named key file that is missing or
   * unreadable is a config error (exit 2).
   */
  public static SignStage prepare(SigningSettings s, Path baseDir, KeySource keys) {
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (s == null) {
      return new SignStage(Optional.empty(), Optional.empty(), started);
    }
    Optional<SigningKey> key;
    try {
      key = keys.load("release.signing", s.privateKeyFile(), s.privateKeyEnv(), baseDir);
    } catch (BadInputException e) {
      if (s.required()) {
        throw new GateFailedException("release.signing.required is true and the signing key cannot be used, so the release would be unsigned: " + e.getMessage());
      }
      throw e;
    }
    if (key.isEmpty() && s.required()) {
      throw new GateFailedException("release.signing.required is true but no signing key is available ("
          + (s.privateKeyEnv() != null ? "environment variable " + s.privateKeyEnv() + " is unset or empty" : "no private_key_file or private_key_env")
          + "); refusing to publish an unsigned release");
    }
    return new SignStage(Optional.of(s), key, started);
  }

  /** Whether a key was loaded, i.e. whether {@link #run} will sign. */
  boolean signs() {
    return key.isPresent();
  }

  /** Signs the staged release and writes both sidecars; empty when the release is not signed. */
  public Optional<Signed> run(
      StagedRelease staged, ReleaseRoot root, ReleaseMetadata m, ProvenanceSource source, PrintStream progress) {
    if (key.isEmpty()) {
      say(progress, "sign: " + (settings.isEmpty() ? "release.signing is not set"
          : "environment variable " + settings.get().privateKeyEnv() + " is unset or empty")
          + "; release " + m.version() + " is published unsigned");
      return Optional.empty();
    }
    SigningKey k = key.get();
    Configuration local = new Configuration();
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(staged.dir().toUri());
    Provenance p = source.provenance(sixFiles(staged), m, settings.orElseThrow().builderId(), startedOn.toString(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    SignatureFiles files = SignatureFiles.under(root.path(), m.version());
    ReleaseSigner signer = new ReleaseSigner();
    ReleaseSigner.Sidecars written = signer.write(signer.sign(dir, local, p, k), files, root.conf(), p, k);
    say(progress, "sign: " + files.signature() + " (key hint " + k.hint() + ")");
    return Optional.of(new Signed(Sha256.hex(written.signature()), Sha256.hex(written.provenance()), k.hint(), files));
  }

  /** Progress is absent under --quiet. */
  private static void say(PrintStream progress, String line) {
    if (progress != null) {
      progress.println(line);
    }
  }

  private static Map<String, String> sixFiles(StagedRelease staged) {
    Map<String, String> all = new java.util.TreeMap<>(staged.sha256ByFile());
    all.put(io.m31r.release.formats.ReleaseFiles.CHECKSUM, staged.checksumSha256());
    return all;
  }
}
