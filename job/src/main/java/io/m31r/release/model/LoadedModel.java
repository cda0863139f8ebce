package io.m31r.release.model;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.runtime.M31rTransformer;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.model.tokenizer.M31rTokenizer;

/**
 * A bundle's model, tokenizer and config, checked against each other and ready to generate. The
 * bundle's files are hashed again after loading, so the loaded bytes are the verified ones.
 */
public final class LoadedModel implements AutoCloseable {
  private final ModelBundle bundle;
  private final ModelConfig config;
  private final M31rTokenizer tokenizer;
  private final M31rTransformer transformer;

  private LoadedModel(ModelBundle bundle, ModelConfig config, M31rTokenizer tokenizer, M31rTransformer transformer) {
    this.bundle = bundle;
    this.config = config;
    this.tokenizer = tokenizer;
    this.transformer = transformer;
  }

  public static LoadedModel load(ModelBundle bundle, RuntimeOptions options) {
    ModelConfig config = ModelConfigReader.read(bundle.configFile());
    SafetensorsFile weights = SafetensorsFile.open(bundle.modelFile());
    WeightLayout.check(config, weights);
    M31rTokenizer tokenizer = M31rTokenizer.load(bundle.tokenizerFile());
    try {
      if (tokenizer.vocabSize() > config.vocabSize()) {
        throw new BadInputException(
            ReleaseFiles.TOKENIZER + " has " + tokenizer.vocabSize() + " ids but the model only "
                + config.vocabSize() + " embedding rows");
      }
      M31rTransformer transformer = M31rTransformer.load(config, weights, options);
      try {
        bundle.recheck();
      } catch (RuntimeException e) {
        transformer.close();
        throw e;
      }
      return new LoadedModel(bundle, config, tokenizer, transformer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  public ModelBundle bundle() {
    return bundle;
  }

  public ModelConfig config() {
    return config;
  }

  public M31rTokenizer tokenizer() {
    return tokenizer;
  }

  public M31rTransformer transformer() {
    return transformer;
  }

  @Override
  public void close() {
    try {
      transformer.close();
    } finally {
      tokenizer.close();
    }
  }
}
