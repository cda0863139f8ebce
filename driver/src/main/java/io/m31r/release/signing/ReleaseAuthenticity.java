package io.m31r.release.signing;

import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseMetadataCodec;
import io.m31r.release.storage.ImmutableFileWriter;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Whether a published release is what a trusted key signed: the model-signing bundle over its
 * folder, the key's validity window against the signed release date, and the signed provenance
 * against metadata.json. Each failure has its own exception (all exit 4).
 */
public final class ReleaseAuthenticity {
  /** The key that signed, and how many files its signature covers. */
  public record Result(TrustedKeys.TrustedKey key, int files) {
    public String describe() {
      return "signed by trusted key '" + key.name() + "' (hint " + key.hint().substring(0, 16) + "...), "
          + files + " files match the signature, provenance agrees with metadata.json";
    }
  }

  /** Signed, unsigned, as far as can be told without keys. */
  public enum Presence { SIGNED, UNSIGNED }

  public static Presence presence(Path releaseDir, Configuration conf) {
    return new ImmutableFileWriter(conf).readIfExists(SignatureFiles.forReleaseDir(releaseDir).signature()) == null
        ? Presence.UNSIGNED : Presence.SIGNED;
  }

  public Result verify(Path releaseDir, Configuration conf, TrustedKeys keys) {
    SignatureFiles files = SignatureFiles.forReleaseDir(releaseDir);
    ImmutableFileWriter io = new ImmutableFileWriter(conf);
    byte[] bundle = io.readIfExists(files.signature());
    if (bundle == null) {
      throw new UnsignedReleaseException("release " + releaseDir.getName() + " is unsigned: no " + files.signature());
    }
    ModelSignatureVerifier.Verified v = new ModelSignatureVerifier()
        .verify(releaseDir, conf, bundle, files.signature().toString(), keys, List.of());
    ReleaseMetadata m = metadata(io, releaseDir);
    Instant date = Instant.parse(m.date());
    if (!v.key().validAt(date)) {
      throw new UntrustedKeyException(
          files.signature() + ": signed by an untrusted key: '" + v.key().name() + "' is " + v.key().window()
              + ", the release is dated " + m.date());
    }
    checkProvenance(io, files, keys, v, m);
    return new Result(v.key(), v.statement().resources().size());
  }

  private static void checkProvenance(ImmutableFileWriter io, SignatureFiles files, TrustedKeys keys,
      ModelSignatureVerifier.Verified v, ReleaseMetadata m) {
    byte[] json = io.readIfExists(files.provenance());
    String source = files.provenance().toString();
    if (json == null) {
      throw new ProvenanceMismatchException("provenance disagrees with metadata: no provenance at " + source);
    }
    DsseEnvelope env = DsseEnvelope.parse(json, source);
    TrustedKeys.TrustedKey key = env.signer(keys, source);
    if (!key.hint().equals(v.key().hint())) {
      throw new UntrustedKeyException(source + ": signed by an untrusted key: the provenance is signed by '" + key.name()
          + "', the release by '" + v.key().name() + "'");
    }
    if (!env.payloadType().equals(Dsse.IN_TOTO_PAYLOAD_TYPE)) {
      throw new SignatureInvalidException(source + ": payloadType " + env.payloadType() + " is not " + Dsse.IN_TOTO_PAYLOAD_TYPE);
    }
    List<String> d = Provenance.disagreements(env.payload(), m, v.statement().resources());
    if (!d.isEmpty()) {
      throw new ProvenanceMismatchException("provenance disagrees with metadata (" + source + "): " + String.join("; ", d));
    }
  }

  private static ReleaseMetadata metadata(ImmutableFileWriter io, Path releaseDir) {
    byte[] bytes = io.readIfExists(new Path(releaseDir, ReleaseFiles.METADATA));
    if (bytes == null) {
      throw new SignedDigestMismatchException("release " + releaseDir + " has no " + ReleaseFiles.METADATA);
    }
    return new ReleaseMetadataCodec().read(bytes, releaseDir.getName() + "/" + ReleaseFiles.METADATA);
  }
}
