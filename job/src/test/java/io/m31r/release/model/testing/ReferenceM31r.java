package io.m31r.release.model.testing;

import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.WeightLayout;

/**
 * The M31R forward pass in plain Java double precision, written from the architecture spec with
 * no DJL and no shared code with the runtime, to check the runtime against.
 */
public final class ReferenceM31r {
  private final ModelConfig c;
  private final RandomModel m;

  public ReferenceM31r(RandomModel model) {
    this.c = model.config();
    this.m = model;
  }

  /** Logits at every position: [time][vocab]. */
  public double[][] logits(int[] tokens) {
    int t = tokens.length;
    int d = c.hiddenSize();
    float[] e = m.weight(WeightLayout.EMBEDDING);
    double[][] h = new double[t][d];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < d; j++) {
        h[i][j] = e[tokens[i] * d + j];
      }
    }
    for (int layer = 0; layer < c.nLayers(); layer++) {
      double[][] x = rms(h, w(layer, "attention_norm.weight"));
      double[][] attn = attention(layer, x);
      double[][] projected = linear(attn, w(layer, "attention.wo.weight"), d);
      add(h, projected);
      x = rms(h, w(layer, "ffn_norm.weight"));
      int f = c.ffnHiddenSize();
      double[][] g = linear(x, w(layer, "feed_forward.w1.weight"), f);
      double[][] u = linear(x, w(layer, "feed_forward.w3.weight"), f);
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < f; j++) {
          double s = g[i][j] / (1 + Math.exp(-g[i][j]));
          g[i][j] = s * u[i][j];
        }
      }
      add(h, linear(g, w(layer, "feed_forward.w2.weight"), d));
    }
    double[][] x = rms(h, m.weight(WeightLayout.FINAL_NORM));
    return linear(x, e, c.vocabSize());
  }

  private double[][] attention(int layer, double[][] x) {
    int t = x.length;
    int heads = c.nHeads();
    int hd = c.headDim();
    int width = heads * hd;
    double[][] q = linear(x, w(layer, "attention.wq.weight"), width);
    double[][] k = linear(x, w(layer, "attention.wk.weight"), width);
    double[][] v = linear(x, w(layer, "attention.wv.weight"), width);
    for (int i = 0; i < t; i++) {
      for (int head = 0; head < heads; head++) {
        rope(q[i], head * hd, hd, i, c.ropeTheta());
        rope(k[i], head * hd, hd, i, c.ropeTheta());
      }
    }
    double[][] out = new double[t][width];
    double scale = 1 / Math.sqrt(hd);
    for (int head = 0; head < heads; head++) {
      int o = head * hd;
      for (int i = 0; i < t; i++) {
        double[] p = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int z = 0; z < hd; z++) {
            s += q[i][o + z] * k[j][o + z];
          }
          p[j] = s * scale;
          max = Math.max(max, p[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          p[j] = Math.exp(p[j] - max);
          sum += p[j];
        }
        for (int j = 0; j <= i; j++) {
          for (int z = 0; z < hd; z++) {
            out[i][o + z] += p[j] / sum * v[j][o + z];
          }
        }
      }
    }
    return out;
  }

  /** Rotates the pairs (x[2j], x[2j+1]) of one head in place by pos * theta^(-2j/hd). */
  public static void rope(double[] x, int offset, int hd, int pos, double theta) {
    for (int j = 0; j < hd / 2; j++) {
      double angle = pos * Math.pow(theta, -2.0 * j / hd);
      double a = x[offset + 2 * j];
      double b = x[offset + 2 * j + 1];
      x[offset + 2 * j] = a * Math.cos(angle) - b * Math.sin(angle);
      x[offset + 2 * j + 1] = a * Math.sin(angle) + b * Math.cos(angle);
    }
  }

  private double[][] rms(double[][] x, float[] weight) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double ms = 0;
      for (double v : x[i]) {
        ms += v * v;
      }
      ms /= x[i].length;
      double inv = 1 / Math.sqrt(ms + c.normEps());
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j] * inv * weight[j];
      }
    }
    return out;
  }

  /** y = x . W^T for W stored [out, in] row-major, as PyTorch's nn.Linear keeps it. */
  private static double[][] linear(double[][] x, float[] weight, int out) {
    int in = x[0].length;
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int z = 0; z < in; z++) {
          s += x[i][z] * weight[o * in + z];
        }
        y[i][o] = s;
      }
    }
    return y;
  }

  private static void add(double[][] h, double[][] delta) {
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < h[i].length; j++) {
        h[i][j] += delta[i][j];
      }
    }
  }

  private float[] w(int layer, String suffix) {
    return m.weight(WeightLayout.layer(layer, suffix));
  }
}
