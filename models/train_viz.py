#!/usr/bin/env python3
"""Train the visual-zone line recogniser and export it to ONNX.

Data: text lines of the visual zone cut by the crate's own locator and line
cutter from genuine pages the specimen generator renders (the ``vizlines``
tool, see ``models/README.md``): ``LINE_HEIGHT`` (24) pixel tall grey lines,
ink high, of any width, labelled with the text printed there.

The model is fully convolutional: the height is reduced to one row, the
width by 4, and each remaining column gives logits over the CTC blank and
the alphabet (output ``[N, 1 + len(alphabet), 1, W / 4]``). Trained with
the CTC loss, read by greedy decoding in the crate.

Reproducible: fixed seeds, deterministic algorithms, pinned packages
(``models/requirements.txt``), CPU only. Usage::

    python models/train_viz.py --train models/data/viz-train.bin \
        --val models/data/viz-val.bin --out models/viz-lines.onnx
"""

import argparse
import json
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHABET = None
H = None
CONDITIONS = None


def layout(paths):
    """Reads the sidecars of every line file; they must agree."""
    global ALPHABET, H, CONDITIONS
    metas = []
    for p in paths:
        with open(p + ".json") as f:
            metas.append(json.load(f))
    if any(m != metas[0] for m in metas):
        raise SystemExit("line files made by different versions of the vizlines tool: regenerate them")
    ALPHABET, H, CONDITIONS = metas[0]["alphabet"], metas[0]["line_height"], metas[0]["conditions"]


def load(paths):
    """Lines as (uint8 image [H, W], label indices, text, condition)."""
    out = []
    index = {c: i + 1 for i, c in enumerate(ALPHABET)}
    for p in paths:
        raw = np.fromfile(p, dtype=np.uint8)
        at = 0
        while at + 4 <= len(raw):
            w = int(raw[at]) | (int(raw[at + 1]) << 8)
            cond, tn = int(raw[at + 2]), int(raw[at + 3])
            at += 4
            text = bytes(raw[at : at + tn]).decode("utf-8")
            at += tn
            img = raw[at : at + H * w].reshape(H, w)
            at += H * w
            out.append((img, [index[c] for c in text], text, cond))
    return out


class Lines(nn.Module):
    """Four convolutions down to one row, two along the line, one per-column
    classifier. With ``--width 16`` about 0.2 M parameters and 16 M
    multiply-adds for a line of 12 characters."""

    def __init__(self, classes, width=16):
        super().__init__()
        c1, c2, c3, c4 = width, 2 * width, 3 * width, 6 * width

        def block(cin, cout, k, pad):
            return nn.Sequential(nn.Conv2d(cin, cout, k, padding=pad), nn.BatchNorm2d(cout), nn.ReLU())

        self.b1 = block(1, c1, 3, 1)
        self.b2 = block(c1, c2, 3, 1)
        self.b3 = block(c2, c3, 3, 1)
        self.b4 = block(c3, c4, 3, (0, 1))
        self.b5 = block(c4, c4, (1, 5), (0, 2))
        self.b6 = block(c4, c4, (1, 3), (0, 1))
        self.out = nn.Conv2d(c4, classes, 1)

    def forward(self, x):
        x = F.max_pool2d(self.b1(x), 2)  # 12 x W/2
        x = F.max_pool2d(self.b2(x), 2)  # 6 x W/4
        x = F.max_pool2d(self.b3(x), (2, 1))  # 3 x W/4
        x = self.b4(x)  # 1 x W/4
        x = self.b6(self.b5(x))
        return self.out(x)  # N x C x 1 x W/4


def batch(lines, gen, train):
    """Pads a list of lines to one width (paper, 0), with augmentation."""
    w = max(l[0].shape[1] for l in lines)
    x = np.zeros((len(lines), 1, H, w), dtype=np.float32)
    for i, l in enumerate(lines):
        x[i, 0, :, : l[0].shape[1]] = l[0] / 255.0
    x = torch.from_numpy(x)
    if train:
        x = augment(x, gen)
    targets = torch.tensor([c for l in lines for c in l[1]], dtype=torch.long)
    lengths = torch.tensor([len(l[1]) for l in lines], dtype=torch.long)
    return x, targets, lengths


def augment(x, gen):
    """What other fonts, printers and scans do to a line: width (condensed or
    extended faces), a small vertical shift and scale, slant, stroke weight,
    blur, contrast and noise."""
    n = x.shape[0]
    sx = 1.0 + (torch.rand(n, generator=gen) - 0.5) * 0.4
    sy = 1.0 + (torch.rand(n, generator=gen) - 0.5) * 0.16
    ty = (torch.rand(n, generator=gen) - 0.5) * 0.16
    shear = (torch.rand(n, generator=gen) - 0.5) * 0.3
    zero = torch.zeros(n)
    theta = torch.stack([torch.stack([1.0 / sx, shear, zero], 1), torch.stack([zero, 1.0 / sy, ty], 1)], 1)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    x = F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")
    weight = torch.rand(n, generator=gen)
    thick, thin = weight < 0.2, weight > 0.85
    if thick.any():
        x[thick] = 0.5 * x[thick] + 0.5 * F.max_pool2d(x[thick], 3, stride=1, padding=1)
    if thin.any():
        x[thin] = 0.5 * x[thin] - 0.5 * F.max_pool2d(-x[thin], 3, stride=1, padding=1)
    blur = torch.rand(n, generator=gen) < 0.3
    if blur.any():
        k = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]).view(1, 1, 3, 3) / 16.0
        x[blur] = F.conv2d(x[blur], k, padding=1)
    gain = 0.7 + 0.5 * torch.rand(n, 1, 1, 1, generator=gen)
    bias = (torch.rand(n, 1, 1, 1, generator=gen) - 0.5) * 0.2
    noise = torch.randn(x.shape, generator=gen) * 0.06 * torch.rand(n, 1, 1, 1, generator=gen)
    return (x * gain + bias + noise).clamp(0.0, 1.0)


def greedy(logits):
    """Best path: the most likely class per column, repeats merged, blanks
    dropped (as the crate decodes)."""
    best = logits.argmax(1)[:, 0, :]  # N x T
    out = []
    for row in best.tolist():
        s, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                s.append(ALPHABET[k - 1])
            prev = k
        out.append("".join(s))
    return out


def distance(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[len(b)]


def evaluate(model, lines):
    model.eval()
    exact, errors, chars = 0, 0, 0
    per = {}
    order = sorted(range(len(lines)), key=lambda i: lines[i][0].shape[1])
    with torch.no_grad():
        for s in range(0, len(order), 128):
            part = [lines[i] for i in order[s : s + 128]]
            x, _, _ = batch(part, None, False)
            for l, text in zip(part, greedy(model(x))):
                e = distance(text, l[2])
                exact += e == 0
                errors += e
                chars += len(l[2])
                c = per.setdefault(CONDITIONS[l[3]], [0, 0])
                c[0] += 1
                c[1] += e == 0
    per = {k: {"lines": v[0], "exact": v[1] / v[0]} for k, v in per.items()}
    return exact / len(lines), errors / max(chars, 1), per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True, nargs="+")
    ap.add_argument("--val", required=True, nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--width", type=int, default=16, help="channels of the first convolution")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=20261202)
    args = ap.parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(args.seed)
    layout(args.train + args.val)
    train, val = load(args.train), load(args.val)
    print(f"train {len(train)} lines, val {len(val)} lines")
    model = Lines(len(ALPHABET) + 1, args.width)
    # Batches of similar widths (less padding), in a seeded order.
    order = sorted(range(len(train)), key=lambda i: train[i][0].shape[1])
    batches = [order[s : s + args.batch] for s in range(0, len(order), args.batch)]
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=args.epochs * len(batches))
    rng = random.Random(args.seed)
    for epoch in range(args.epochs):
        model.train()
        t0 = time.time()
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            x, targets, lengths = batch([train[i] for i in b], gen, True)
            logits = model(x)[:, :, 0, :]  # N x C x T
            logp = F.log_softmax(logits, 1).permute(2, 0, 1)  # T x N x C
            frames = torch.full((len(b),), logp.shape[0], dtype=torch.long)
            loss = F.ctc_loss(logp, targets, frames, lengths, blank=0, zero_infinity=True)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        exact, cer, _ = evaluate(model, val)
        print(f"epoch {epoch + 1}: loss {total / len(batches):.4f}  val exact lines {exact:.4f}  CER {cer:.4f}  ({time.time() - t0:.0f} s)", flush=True)
    exact, cer, per = evaluate(model, val)
    model.eval()
    torch.onnx.export(
        model,
        (torch.zeros(2, 1, H, 64),),
        args.out,
        opset_version=17,
        dynamo=False,
        do_constant_folding=True,
        input_names=["lines"],
        output_names=["logits"],
        dynamic_axes={"lines": {0: "N", 3: "W"}, "logits": {0: "N", 3: "T"}},
    )
    params = sum(p.numel() for p in model.parameters())
    metrics = {
        "val_lines": len(val),
        "val_exact_lines": exact,
        "val_character_error_rate": cer,
        "per_condition": per,
        "parameters": params,
        "width": args.width,
        "epochs": args.epochs,
        "seed": args.seed,
        "alphabet": ALPHABET,
    }
    with open(args.out.replace(".onnx", ".metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2, ensure_ascii=False)
    print(json.dumps(metrics, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
