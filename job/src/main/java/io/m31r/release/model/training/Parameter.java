package io.m31r.release.model.training;

import ai.djl.ndarray.NDArray;

/**
 * One trainable tensor: its checkpoint name and shape (upstream layout, [out, in] for linears),
 * and the value the forward pass uses, which for linears is the transpose ([in, out]).
 *
 * @param decay whether AdamW's weight decay applies (matrices yes, norm gains no)
 */
record Parameter(String name, long[] checkpointShape, boolean transposed, boolean decay, NDArray value) {}
