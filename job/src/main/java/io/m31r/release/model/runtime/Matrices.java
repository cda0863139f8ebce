package io.m31r.release.model.runtime;

/** Host-side layout changes between the checkpoint's [out, in] and the forward pass's [in, out]. */
public final class Matrices {
  private Matrices() {}

  /** The transpose of a row-major {@code rows x cols} matrix. */
  public static float[] transpose(float[] rowMajor, int rows, int cols) {
    float[] t = new float[rowMajor.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = rowMajor[r * cols + c];
      }
    }
    return t;
  }

  /**
   * Row-major matrices of {@code rows} rows each placed side by side: row {@code r} of the result
   * is row {@code r} of every part in turn.
   */
  public static float[] concatColumns(int rows, float[]... parts) {
    int width = 0;
    for (float[] p : parts) {
      if (p.length % rows != 0) {
        throw new IllegalArgumentException(p.length + " values are not " + rows + " rows");
      }
      width += p.length / rows;
    }
    float[] out = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      int at = r * width;
      for (float[] p : parts) {
        int cols = p.length / rows;
        System.arraycopy(p, r * cols, out, at, cols);
        at += cols;
      }
    }
    return out;
  }
}
