#!/usr/bin/env python3
"""Same-run references for scripts/bench/decode, one libtorch thread:

  reference BUNDLE_DIR  PyTorch eager (the installed torch, Debian's python3-torch 1.13 here) running
                        the M31R decoder of BUNDLE_DIR/model.safetensors with a KV cache written in
                        place and greedy argmax on the engine side: ms per step, single and batch 8.
  probe                 memory-read limit: time to read 68 MB of float32 once (torch.sum over a
                        17M-element tensor, one thread), median of 50.

Prints one JSON object.
"""
import json
import math
import struct
import sys
import time

import torch

torch.set_num_threads(1)


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", meta
        a, b = meta["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(meta["shape"])
    return out


def config(bundle):
    values = {}
    for line in open(bundle + "/config.yaml"):
        if ":" in line and not line.lstrip().startswith("#"):
            k, v = line.split(":", 1)
            values[k.strip()] = v.strip().strip('"')
    return values


class Decoder:
    def __init__(self, bundle):
        c = config(bundle)
        self.layers = int(c["n_layers"])
        self.heads = int(c["n_heads"])
        self.hd = int(c["head_dim"])
        self.ctx = int(c["context_length"])
        self.eps = float(c["norm_eps"])
        theta = float(c["rope_theta"])
        w = load(bundle + "/model.safetensors")
        self.emb = w["tok_embeddings.embedding.weight"]
        self.norm = w["norm.weight"]
        self.w = []
        for i in range(self.layers):
            p = "layers.%d." % i
            self.w.append({k: w[p + k].t().contiguous() if w[p + k].dim() == 2 else w[p + k] for k in [
                "attention_norm.weight", "attention.wq.weight", "attention.wk.weight", "attention.wv.weight",
                "attention.wo.weight", "ffn_norm.weight", "feed_forward.w1.weight", "feed_forward.w2.weight",
                "feed_forward.w3.weight"]})
        inv = theta ** (-torch.arange(0, self.hd, 2, dtype=torch.float64) / self.hd)
        ang = torch.arange(self.ctx, dtype=torch.float64)[:, None] * inv[None, :]
        self.cos = ang.cos().float()[:, None, :]
        self.sin = ang.sin().float()[:, None, :]

    def rms(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * w

    def rope(self, x, pos):
        b, t, h, d = x.shape
        p = x.reshape(b, t, h, d // 2, 2)
        e, o = p[..., 0], p[..., 1]
        c, s = self.cos[pos:pos + t], self.sin[pos:pos + t]
        return torch.stack([e * c - o * s, e * s + o * c], -1).reshape(b, t, h, d)

    def cache(self, batch):
        shape = (self.layers, batch, self.heads, self.ctx, self.hd)
        return [torch.zeros(shape), torch.zeros(shape), 0]

    @torch.no_grad()
    def step(self, tokens, cache):
        b, t = tokens.shape
        pos = cache[2]
        x = self.emb[tokens]
        for i, w in enumerate(self.w):
            h = self.rms(x, w["attention_norm.weight"])
            q = self.rope((h @ w["attention.wq.weight"]).view(b, t, self.heads, self.hd), pos).transpose(1, 2)
            k = self.rope((h @ w["attention.wk.weight"]).view(b, t, self.heads, self.hd), pos).transpose(1, 2)
            v = (h @ w["attention.wv.weight"]).view(b, t, self.heads, self.hd).transpose(1, 2)
            cache[0][i, :, :, pos:pos + t] = k
            cache[1][i, :, :, pos:pos + t] = v
            k = cache[0][i, :, :, :pos + t]
            v = cache[1][i, :, :, :pos + t]
            s = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
            if t > 1:
                s = s + torch.full((t, pos + t), float("-inf")).triu(pos + 1)
            a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)
            x = x + a @ w["attention.wo.weight"]
            h = self.rms(x, w["ffn_norm.weight"])
            g = h @ w["feed_forward.w1.weight"]
            x = x + (torch.nn.functional.silu(g) * (h @ w["feed_forward.w3.weight"])) @ w["feed_forward.w2.weight"]
        cache[2] = pos + t
        logits = self.rms(x[:, -1], self.norm) @ self.emb.t()
        return logits.argmax(-1)


def decode(m, prompt, batch, steps):
    cache = m.cache(1)
    m.step(prompt[None, :], cache)
    if batch > 1:
        cache = [cache[0].repeat(1, batch, 1, 1, 1), cache[1].repeat(1, batch, 1, 1, 1), cache[2]]
    ms = []
    for s in range(steps):
        nxt = torch.tensor([[5 + (s * 7 + r) % 50] for r in range(batch)])
        t0 = time.perf_counter()
        m.step(nxt, cache)
        ms.append((time.perf_counter() - t0) * 1e3)
    return ms


def stats(ms, batch):
    s = sorted(ms)
    return {"ms_per_step_median": round(s[len(s) // 2], 3), "tokens_per_s": round(batch * len(ms) * 1e3 / sum(ms), 3)}


def main():
    if sys.argv[1] == "probe":
        a = torch.rand(68_000_000 // 4)
        a.sum()
        runs = []
        for _ in range(50):
            t0 = time.perf_counter()
            a.sum()
            runs.append((time.perf_counter() - t0) * 1e3)
        runs.sort()
        print(json.dumps({"probe_read_68MB_ms_median": round(runs[25], 3), "gb_per_s": round(68e6 / runs[25] / 1e6, 2)}))
        return
    m = Decoder(sys.argv[2])
    g = torch.Generator().manual_seed(3)
    prompt = torch.randint(4, 1000, (64,), generator=g)
    decode(m, prompt, 1, 8)
    steps = 128
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "single": stats(decode(m, prompt, 1, steps), 1), "batch8": stats(decode(m, prompt, 8, steps), 8)}))


main()
