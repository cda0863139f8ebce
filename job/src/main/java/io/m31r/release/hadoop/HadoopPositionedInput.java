package io.m31r.release.hadoop;

import io.m31r.release.hashing.PositionedInput;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;

/** Hadoop's positioned reads (pread on local files and HDFS, ranged GETs on S3A). */
public final class HadoopPositionedInput implements PositionedInput {
  private final FSDataInputStream in;

  public HadoopPositionedInput(FSDataInputStream in) {
    this.in = in;
  }

  @Override
  public int read(long position, byte[] buffer, int offset, int length) throws IOException {
    return in.read(position, buffer, offset, length);
  }
}
