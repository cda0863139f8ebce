package io.m31r.release.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * AdamW with decoupled weight decay, as torch.optim.AdamW computes it: {@code p -= lr * wd * p},
 * then {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}. Moments live beside the parameters; every
 * update is a fixed sequence of element-wise ops, so it adds nothing non-deterministic.
 */
final class AdamW {
  private static final float EPS = 1e-8f;

  private final List<Parameter> params;
  private final NDArray[] m;
  private final NDArray[] v;
  private final double beta1;
  private final double beta2;
  private final double weightDecay;
  private int step;

  AdamW(NDManager manager, List<Parameter> params, double beta1, double beta2, double weightDecay) {
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.weightDecay = weightDecay;
    this.m = new NDArray[params.size()];
    this.v = new NDArray[params.size()];
    for (int i = 0; i < params.size(); i++) {
      m[i] = manager.zeros(params.get(i).value().getShape());
      v[i] = manager.zeros(params.get(i).value().getShape());
    }
  }

  /** One update with gradients in parameter order, already clipped; temporaries go to scratch. */
  void update(NDManager scratch, NDArray[] grads, double lr) {
    step++;
    // StrictMath for bit-identical bias corrections whether or not this method is JIT-compiled yet.
    double bc1 = 1 - StrictMath.pow(beta1, step);
    double bc2 = 1 - StrictMath.pow(beta2, step);
    for (int i = 0; i < grads.length; i++) {
      Parameter p = params.get(i);
      NDArray g = grads[i];
      g.attach(scratch);
      m[i].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
      v[i].muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
      if (p.decay()) {
        p.value().muli((float) (1 - lr * weightDecay));
      }
      // Results of ops on the moments land in the moments' manager: hand them to scratch at once.
      NDArray vHat = v[i].div((float) bc2);
      vHat.attach(scratch);
      NDArray mHat = m[i].div((float) bc1);
      mHat.attach(scratch);
      p.value().subi(mHat.divi(vHat.sqrt().addi(EPS)).muli((float) lr));
    }
  }
}
