package io.m31r.release.model.runtime;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's weights as the forward pass uses them: linear weights transposed to
 * [in, out] so that a projection is {@code x.matMul(w)}; norm weights as [d].
 */
public record LayerWeights(
    NDArray attentionNorm, NDArray wq, NDArray wk, NDArray wv, NDArray wo,
    NDArray ffnNorm, NDArray w1, NDArray w2, NDArray w3) {}
