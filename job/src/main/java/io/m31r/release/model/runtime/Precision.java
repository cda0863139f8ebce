package io.m31r.release.model.runtime;

import ai.djl.ndarray.types.DataType;
import io.m31r.release.failure.BadInputException;

/** The dtype weights and activations are held in during the forward pass. */
public enum Precision {
  FP32(DataType.FLOAT32),
  /** Half precision halves memory and bandwidth on GPUs; CPU kernels for it are slow or missing. */
  FP16(DataType.FLOAT16);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  public DataType dataType() {
    return dataType;
  }

  public static Precision parse(String text) {
    return switch (text) {
      case "fp32" -> FP32;
      case "fp16" -> FP16;
      default -> throw new BadInputException("precision must be fp32 or fp16, not '" + text + "'");
    };
  }
}
