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
}
