package io.m31r.release.model.generate;

import io.m31r.release.hashing.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The seed of one sample's random stream: the first 8 bytes (little-endian) of
 * SHA-256(seed as 8 LE bytes || sample index as 4 LE bytes || prompt UTF-8). Defined by bytes, not
 * by a library's hash function, so every platform and Java version derives the same seeds.
 */
public final class SampleSeeds {
  private SampleSeeds() {}

  public static long derive(long seed, String prompt, int sampleIndex) {
    MessageDigest digest = Sha256.newDigest();
    ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(seed).putInt(sampleIndex);
    digest.update(head.array());
    digest.update(prompt.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest.digest()).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
