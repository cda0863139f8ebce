package io.m31r.release.signing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Signs a folder as {@code model_signing sign key} does: digests of every file, the statement over
 * them, a DSSE signature over the statement, all in a Sigstore bundle. The signature file lives
 * outside the folder, so {@code ignore_paths} holds the git paths model_signing always adds.
 */
public final class ModelSigner {
  public byte[] sign(Path dir, Configuration conf, SigningKey key) {
    List<String> ignore = new ArrayList<>(FolderDigests.GIT_PATHS);
    Map<String, String> digests = FolderDigests.of(dir, conf, ignore);
    // The folder's own name; a URI of a directory may end in '/', where Path.getName() is empty.
    String name = new java.io.File(dir.toUri().getPath()).getName();
    return sign(ModelSigningStatement.of(name, digests, ignore), key);
  }

  public byte[] sign(ModelSigningStatement statement, SigningKey key) {
    byte[] payload = statement.payload();
    byte[] sig = key.sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    return new SigstoreBundle(key.hint(), Dsse.IN_TOTO_PAYLOAD_TYPE, payload, sig).toJson();
  }
}
