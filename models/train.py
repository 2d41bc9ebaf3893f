#!/usr/bin/env python3
"""Train the OCR-B character classifier and export it to ONNX.

Data: MRZ character cells extracted by the reader's own pipeline from pages the
specimen generator renders (see ``models/README.md`` for the exact commands):
24 x 20 grey cells (ink high), 37 classes ``<0-9A-Z``.

Reproducible: fixed seeds, deterministic algorithms, pinned packages
(``models/requirements.txt``), CPU only. Usage::

    python models/train.py --train models/data/train-*.bin --val models/data/val-*.bin \
        --out models/ocrb-cnn.onnx
"""

import argparse
import json
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The cell size, the class order and the condition names come from the
# crate, through the sidecar `NAME.bin.json` the `glyphs` tool writes beside
# each cell file (set by `layout()` before anything is loaded).
CLASSES = None
H, W = None, None
RECORD = None
CONDITIONS = None


def layout(paths):
    """Reads the sidecars of every cell file; they must agree."""
    global CLASSES, H, W, RECORD, CONDITIONS
    metas = []
    for p in paths:
        with open(p + ".json") as f:
            metas.append(json.load(f))
    if any(m != metas[0] for m in metas):
        raise SystemExit("cell files made by different versions of the glyphs tool: regenerate them")
    m = metas[0]
    CLASSES, H, W, CONDITIONS = m["classes"], m["cell_height"], m["cell_width"], m["conditions"]
    RECORD = H * W + 2


def load(paths):
    raw = np.concatenate([np.fromfile(p, dtype=np.uint8) for p in paths])
    raw = raw[: len(raw) // RECORD * RECORD].reshape(-1, RECORD)
    x = raw[:, : H * W].reshape(-1, 1, H, W).astype(np.float32) / 255.0
    y = raw[:, H * W].astype(np.int64)
    cond = raw[:, H * W + 1].astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y), cond


class OcrB(nn.Module):
    """Three small convolutions, one hidden layer. With the default width
    (``--width 8``: 8, 16 and 32 channels, 64 hidden units) about 70 k
    parameters and 0.37 M multiply-adds per character."""

    def __init__(self, width=8):
        super().__init__()
        c1, c2, c3, hidden = width, 2 * width, 4 * width, 8 * width
        self.c1 = nn.Conv2d(1, c1, 3, padding=1)
        self.b1 = nn.BatchNorm2d(c1)
        self.c2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.b2 = nn.BatchNorm2d(c2)
        self.c3 = nn.Conv2d(c2, c3, 3, padding=1)
        self.b3 = nn.BatchNorm2d(c3)
        self.f1 = nn.Linear(c3 * 6 * 5, hidden)
        self.f2 = nn.Linear(hidden, len(CLASSES))

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        x = F.relu(self.b3(self.c3(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.f1(x))
        return self.f2(x)


def augment(x, gen):
    """Small shifts, scales and rotations, contrast, noise and blur: what a
    slightly misfitted grid and a worse scan do to a cell."""
    n = x.shape[0]
    angle = (torch.rand(n, generator=gen) - 0.5) * 0.12
    scale = 1.0 + (torch.rand(n, generator=gen) - 0.5) * 0.16
    tx = (torch.rand(n, generator=gen) - 0.5) * 0.22
    ty = (torch.rand(n, generator=gen) - 0.5) * 0.16
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    x = F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")
    # Print weight: thicker (dilation) or thinner (erosion) strokes.
    weight = torch.rand(n, generator=gen)
    thick, thin = weight < 0.25, weight > 0.85
    if thick.any():
        x[thick] = 0.5 * x[thick] + 0.5 * F.max_pool2d(x[thick], 3, stride=1, padding=1)
    if thin.any():
        x[thin] = 0.5 * x[thin] - 0.5 * F.max_pool2d(-x[thin], 3, stride=1, padding=1)
    blur = torch.rand(n, generator=gen) < 0.35
    if blur.any():
        k = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]).view(1, 1, 3, 3) / 16.0
        x[blur] = F.conv2d(x[blur], k, padding=1)
    gain = 0.7 + 0.5 * torch.rand(n, 1, 1, 1, generator=gen)
    bias = (torch.rand(n, 1, 1, 1, generator=gen) - 0.5) * 0.2
    noise = torch.randn(x.shape, generator=gen) * 0.06 * torch.rand(n, 1, 1, 1, generator=gen)
    return (x * gain + bias + noise).clamp(0.0, 1.0)


def evaluate(model, x, y, cond):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i : i + 4096]).argmax(1) for i in range(0, len(x), 4096)])
    ok = (pred == y).numpy()
    per = {}
    for i, name in enumerate(CONDITIONS):
        m = cond == i
        if m.any():
            per[name] = {"cells": int(m.sum()), "errors": int((~ok[m]).sum()), "accuracy": float(ok[m].mean())}
    return float(ok.mean()), per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True, nargs="+")
    ap.add_argument("--val", required=True, nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--width", type=int, default=8, help="channels of the first convolution")
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(args.seed)

    layout(args.train + args.val)
    xt, yt, _ = load(args.train)
    xv, yv, cv = load(args.val)
    print(f"train {len(xt)} cells, val {len(xv)} cells")
    counts = torch.bincount(yt, minlength=len(CLASSES)).float()
    # Rare letters (Q, X, Z...) are sampled more often: inverse square root of
    # their frequency.
    weights = (1.0 / counts.clamp(min=1).sqrt())[yt]

    model = OcrB(args.width)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    steps_per_epoch = len(xt) // 256
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch)
    for epoch in range(args.epochs):
        model.train()
        t0 = time.time()
        idx = torch.multinomial(weights, steps_per_epoch * 256, replacement=True, generator=gen)
        total = 0.0
        for s in range(steps_per_epoch):
            b = idx[s * 256 : (s + 1) * 256]
            xb, yb = augment(xt[b], gen), yt[b]
            loss = F.cross_entropy(model(xb), yb, label_smoothing=0.02)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        acc, _ = evaluate(model, xv, yv, cv)
        print(f"epoch {epoch + 1}: loss {total / steps_per_epoch:.4f}  val accuracy {acc:.5f}  ({time.time() - t0:.0f} s)")

    acc, per = evaluate(model, xv, yv, cv)
    model.eval()
    torch.onnx.export(
        model,
        (torch.zeros(2, 1, H, W),),
        args.out,
        opset_version=17,
        dynamo=False,
        do_constant_folding=True,
        input_names=["glyphs"],
        output_names=["logits"],
        dynamic_axes={"glyphs": {0: "N"}, "logits": {0: "N"}},
    )
    params = sum(p.numel() for p in model.parameters())
    metrics = {"val_cells": len(xv), "val_accuracy": acc, "per_condition": per, "parameters": params, "width": args.width, "epochs": args.epochs, "seed": args.seed}
    with open(args.out.replace(".onnx", ".metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
