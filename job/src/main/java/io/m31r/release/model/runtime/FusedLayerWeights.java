package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's weights as the runtime holds them (the trainer keeps {@link LayerWeights}):
 * Q, K and V side by side as one [d, 3a] matrix, and the gate (W1) and up (W3) projections as one
 * [d, 2f] matrix, so that each is one matrix product per layer instead of three and two.
 */
record FusedLayerWeights(NDArray attentionNorm, NDArray wqkv, NDArray wo, NDArray ffnNorm, NDArray w13, NDArray w2) {}
