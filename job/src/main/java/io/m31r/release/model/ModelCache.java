package io.m31r.release.model;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * One loaded model per content per JVM: Spark runs many tasks in one executor, and each loading its
 * own copy would multiply memory and load time. Entries are keyed by the SHA-256 of the bundle's
 * files (not its path), so a changed file is a new entry and the same bytes at two paths are one.
 * The first caller loads; concurrent callers for the same key wait for that load. A failed load is
 * forgotten so that a later call can try again. Loaded models live as long as the JVM: callers
 * share them and must not close them.
 */
public final class ModelCache {
  private static final ModelCache SHARED = new ModelCache();

  /** What makes two loads interchangeable: the same bytes, verified alike, on the same device. */
  record Key(String modelSha256, String tokenizerSha256, String configSha256, boolean verified, RuntimeOptions options) {}

  private final ConcurrentHashMap<Key, CompletableFuture<LoadedModel>> entries = new ConcurrentHashMap<>();

  public static ModelCache shared() {
    return SHARED;
  }

  /** Verifies (or hashes, when unverified is allowed) the bundle, then returns its shared model. */
  public LoadedModel get(Path bundleDirectory, boolean allowUnverified, RuntimeOptions options) {
    return get(ModelBundle.open(bundleDirectory, allowUnverified), options);
  }

  public LoadedModel get(ModelBundle bundle, RuntimeOptions options) {
    Key key =
        new Key(bundle.modelSha256(), bundle.tokenizerSha256(), bundle.configSha256(), bundle.verified(), options);
    CompletableFuture<LoadedModel> mine = new CompletableFuture<>();
    CompletableFuture<LoadedModel> existing = entries.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(LoadedModel.load(bundle, options));
      } catch (Throwable t) {
        entries.remove(key, mine);
        mine.completeExceptionally(t);
      }
      return await(mine);
    }
    return await(existing);
  }

  /** Number of models held (loaded or loading). */
  public int size() {
    return entries.size();
  }

  private static LoadedModel await(CompletableFuture<LoadedModel> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while waiting for a model to load", e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new InfrastructureException("model load failed: " + cause, cause);
    }
  }
}
