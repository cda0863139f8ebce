package io.m31r.release.signing;

import io.m31r.release.failure.ConflictException;
import io.m31r.release.storage.ImmutableFileWriter;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Signs a release folder (model-signing bundle) and its provenance (DSSE), and writes both as
 * immutable sidecars. A rerun of an interrupted export writes identical signature bytes (RFC 6979)
 * and keeps the provenance it finds when that differs from ours only in the measured times and
 * carries our key's signature; anything else already there is a conflict.
 */
public final class ReleaseSigner {
  /** The two sidecar contents. */
  public record Sidecars(byte[] signature, byte[] provenance) {}

  public Sidecars sign(Path releaseDir, Configuration conf, Provenance provenance, SigningKey key) {
    byte[] bundle = new ModelSigner().sign(releaseDir, conf, key);
    byte[] env = DsseEnvelope.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, provenance.payload(), key).toJson();
    return new Sidecars(bundle, env);
  }

  /** Writes both files (or accepts what a rerun finds); returns the bytes that are now in place. */
  public Sidecars write(Sidecars s, SignatureFiles files, Configuration conf, Provenance provenance, SigningKey key) {
    ImmutableFileWriter writer = new ImmutableFileWriter(conf);
    writer.checkWritable(files.signature(), s.signature());
    byte[] prov = provenanceToWrite(writer, files, s.provenance(), provenance, key);
    writer.write(files.signature(), s.signature());
    writer.write(files.provenance(), prov);
    return new Sidecars(s.signature(), prov);
  }

  private static byte[] provenanceToWrite(ImmutableFileWriter writer, SignatureFiles files, byte[] fresh, Provenance p, SigningKey k) {
    byte[] existing = writer.readIfExists(files.provenance());
    if (existing == null || Arrays.equals(existing, fresh)) {
      return fresh;
    }
    try {
      DsseEnvelope env = DsseEnvelope.parse(existing, files.provenance().toString());
      Provenance earlier = p.withTimes(env.payload());
      boolean ourKey = env.keyid().equals(k.hint())
          && Arrays.equals(DsseEnvelope.sign(env.payloadType(), env.payload(), k).signature(), env.signature());
      if (ourKey && Arrays.equals(earlier.payload(), env.payload())) {
        return existing;
      }
    } catch (RuntimeException e) {
      // Unreadable: the conflict below says so.
    }
    throw new ConflictException(files.provenance() + " already exists with different content; it was left untouched");
  }
}
