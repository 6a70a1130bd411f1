"""Accuracy benchmark: sk_rnn beside simple baselines and the PyTorch recipe.

On the real data sets of ``datasets.py``, for every seed, fits and scores:

- ``dummy``: the majority class (classification), the training mean (regression),
  or persistence, the window's last value (forecasting);
- ``1nn``: 1-nearest neighbour, Euclidean, on the flattened sequences;
- ``mlp``: ``make_pipeline(StandardScaler(), MLPClassifier() / MLPRegressor())`` on
  the flattened sequences, scikit-learn's defaults;
- ``rnn``, ``lstm``, ``gru``: sk_rnn as a new user calls it,
  ``make_pipeline(SequenceScaler(), RNNClassifier(cell=c))`` (or ``RNNRegressor``),
  every other parameter at its default unless ``--set`` overrides it;
- ``torch-rnn``, ``torch-lstm``, ``torch-gru`` (when torch imports): one layer of 64
  units, Adam at 1e-3, batch 32, 100 epochs, standardised inputs (and targets for
  regression), the state at each sequence's last real step read by a linear layer.

The flat models need one length: variable-length sets are resampled (linear
interpolation) to the median training length for them; the recurrent models read
the sequences as they are. Each record holds the score (accuracy, or R²), the fit's
wall-clock seconds and the epochs trained (``n_iter_``). Records are merged into
``--out`` (a record with the same data set, model, seed and label is replaced), and
``--report`` prints the tables of the README from one or more such files.

    python benchmarks/accuracy/run.py --datasets UnitTest Coffee --seeds 0 1 2
    python benchmarks/accuracy/run.py --models rnn gru --set batch_size=32
    python benchmarks/accuracy/run.py --models lstm --init orthogonal --forget-bias 1
    python benchmarks/accuracy/run.py --report results.json

Everything runs on one thread (``n_jobs=1``, BLAS and torch limited to one thread).
"""

import argparse
import ast
import json
import os
import sys
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from datasets import DATASETS  # noqa: E402

FLAT_MODELS = ("dummy", "1nn", "mlp")
CELLS = ("rnn", "lstm", "gru")
TORCH_MODELS = tuple(f"torch-{c}" for c in CELLS)
ALL_MODELS = FLAT_MODELS + CELLS + TORCH_MODELS


def parse_sets(pairs):
    """``["batch_size=32", "hidden_layer_sizes=(64,)"]`` -> parameter dict."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set expects key=value, got {pair!r}")
        try:
            params[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[key] = value
    return params


def patch_init(init, forget_bias):
    """Prototype initialisations by wrapping ``RecurrentNetwork.init_params``.

    ``init="orthogonal"`` replaces each gate's block of every ``weight_hh`` by an
    orthogonal matrix (QR of a Gaussian draw, signs fixed as in
    ``torch.nn.init.orthogonal_``); ``forget_bias`` sets the LSTM's forget-gate rows
    of ``bias_ih`` to that value and those of ``bias_hh`` to zero. The PyTorch layout
    is unchanged; only the values drawn differ.
    """
    if init == "pytorch" and forget_bias is None:
        return
    from sk_rnn._backend._network import RecurrentNetwork

    original = RecurrentNetwork.init_params

    def init_params(self, random_state, dtype):
        flat = original(self, random_state, dtype)
        lstm = self.architecture["cell"] == "lstm"
        for name, view in self.unpack(flat).items():
            if init == "orthogonal" and name.startswith("weight_hh"):
                n_hidden = view.shape[1]
                for g in range(view.shape[0] // n_hidden):
                    a = random_state.normal(size=(n_hidden, n_hidden))
                    q, r = np.linalg.qr(a)
                    q *= np.sign(np.diag(r))
                    view[g * n_hidden : (g + 1) * n_hidden] = q
            if lstm and forget_bias is not None and name.startswith("bias_"):
                n_hidden = view.shape[0] // 4
                value = forget_bias if name.startswith("bias_ih") else 0.0
                view[n_hidden : 2 * n_hidden] = value
        return flat

    RecurrentNetwork.init_params = init_params


def subsample(X, y, n, kind):
    """At most ``n`` training sequences, stratified for classification (seed 0)."""
    if n is None or len(y) <= n:
        return X, y
    from sklearn.model_selection import train_test_split

    index = np.arange(len(y))
    keep, _ = train_test_split(
        index,
        train_size=n,
        stratify=y if kind == "classification" else None,
        random_state=0,
    )
    keep = np.sort(keep)
    if isinstance(X, list):
        return [X[i] for i in keep], y[keep]
    return X[keep], y[keep]


def flatten(X, length):
    """Flat rows for the baselines; ragged sequences resampled to ``length``."""
    if not isinstance(X, list):
        return X.reshape(len(X), -1)
    rows = []
    for x in X:
        old = np.linspace(0.0, 1.0, len(x))
        new = np.linspace(0.0, 1.0, length)
        rows.append(np.column_stack([np.interp(new, old, c) for c in x.T]).ravel())
    return np.array(rows)


def last_value(X):
    if isinstance(X, list):
        return np.array([x[-1, 0] for x in X])
    return X[:, -1, 0]


def score(kind, y_true, y_pred):
    from sklearn.metrics import accuracy_score, r2_score

    if kind == "classification":
        return float(accuracy_score(y_true, y_pred))
    return float(r2_score(y_true, y_pred))


def fit_flat(model, kind, X_train, y_train, X_test, seed):
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    classify = kind == "classification"
    if model == "dummy" and kind == "forecasting":
        start = time.perf_counter()
        return last_value(X_test), time.perf_counter() - start, None
    length = None
    if isinstance(X_train, list):
        length = int(np.median([len(x) for x in X_train]))
    A_train, A_test = flatten(X_train, length), flatten(X_test, length)
    if model == "dummy":
        est = DummyClassifier() if classify else DummyRegressor()
    elif model == "1nn":
        est = (KNeighborsClassifier if classify else KNeighborsRegressor)(n_neighbors=1)
    else:
        est = make_pipeline(
            StandardScaler(),
            (MLPClassifier if classify else MLPRegressor)(random_state=seed),
        )
    start = time.perf_counter()
    est.fit(A_train, y_train)
    seconds = time.perf_counter() - start
    epochs = getattr(est[-1], "n_iter_", None) if model == "mlp" else None
    return est.predict(A_test), seconds, epochs


def auto_frames(X, steps=32):
    """The frames of the rule measured for a ``patch_size="auto"``: about
    ``steps`` steps left, ``max(1, n_timesteps // steps)``."""
    longest = max(len(x) for x in X) if isinstance(X, list) else X.shape[1]
    return max(1, longest // steps)


def stack_frames(X, k):
    """Every ``k`` consecutive steps read as one step of ``k`` times the features
    (frame stacking); a ragged sequence's last frame repeats its last step."""
    if k == 1:
        return X
    if isinstance(X, list):
        return [stack_frames(x[None], k)[0] for x in X]
    n, length, n_features = X.shape
    padded = -length % k
    if padded:
        X = np.concatenate([X, np.repeat(X[:, -1:], padded, axis=1)], axis=1)
    return X.reshape(n, -1, k * n_features)


def signed_log(X):
    """``sign(x) * log1p(|x|)`` of every value (lists of sequences too)."""
    if isinstance(X, list):
        return [signed_log(x) for x in X]
    X = np.asarray(X, dtype=float)
    return np.sign(X) * np.log1p(np.abs(X))


def with_scale(X):
    """Each sequence divided by its own standard deviation (over steps and
    features), beside one more feature, that standard deviation's log10, at
    every step: the shape apart from the level."""
    if isinstance(X, list):
        return [with_scale(x[None])[0] for x in X]
    X = np.asarray(X, dtype=float)
    std = X.std(axis=(1, 2), keepdims=True) + 1e-8
    level = np.broadcast_to(np.log10(std), X.shape[:2] + (1,))
    return np.concatenate([X / std, level], axis=2)


def shape_only(X):
    """Each sequence divided by its own standard deviation, nothing beside."""
    if isinstance(X, list):
        return [shape_only(x[None])[0] for x in X]
    X = np.asarray(X, dtype=float)
    return X / (X.std(axis=(1, 2), keepdims=True) + 1e-8)


def level_only(X):
    """Only the log10 of each sequence's standard deviation, at every step."""
    return (
        [x[:, -1:] for x in with_scale(X)]
        if isinstance(X, list)
        else (with_scale(X)[:, :, -1:])
    )


def raw_and_scale(X):
    """The sequence as it is, beside ``with_scale``'s two features."""
    if isinstance(X, list):
        return [raw_and_scale(x[None])[0] for x in X]
    X = np.asarray(X, dtype=float)
    return np.concatenate([X, with_scale(X)], axis=2)


def as_float32(X):
    """The values as float32, which sk_rnn then computes in (as PyTorch does)."""
    if isinstance(X, list):
        return [np.asarray(x, dtype=np.float32) for x in X]
    return np.asarray(X, dtype=np.float32)


TRANSFORMS = {
    "none": None,
    "float32": as_float32,
    "both": raw_and_scale,
    "slog": signed_log,
    "scale": with_scale,
    "shape": shape_only,
    "level": level_only,
}


def fit_sk_rnn(cell, kind, X_train, y_train, X_test, seed, params, frames, transform):
    from sklearn.pipeline import make_pipeline

    from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler

    if TRANSFORMS[transform] is not None:
        X_train, X_test = TRANSFORMS[transform](X_train), TRANSFORMS[transform](X_test)
    if isinstance(frames, str):  # "auto", or "auto:S" for about S steps left
        frames = auto_frames(X_train, int(frames.partition(":")[2] or 32))
    X_train, X_test = stack_frames(X_train, frames), stack_frames(X_test, frames)

    Estimator = RNNClassifier if kind == "classification" else RNNRegressor
    scaler = {k[8:]: v for k, v in params.items() if k.startswith("scaler__")}
    params = {k: v for k, v in params.items() if not k.startswith("scaler__")}
    settings = {"cell": cell, "random_state": seed, "n_jobs": 1, **params}
    pipe = make_pipeline(SequenceScaler(**scaler), Estimator(**settings))
    start = time.perf_counter()
    pipe.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    train_score = score(kind, y_train, pipe.predict(X_train))
    return pipe.predict(X_test), seconds, int(pipe[-1].n_iter_), train_score


def fit_torch(cell, kind, X_train, y_train, X_test, seed, epochs=100, readout="last"):
    """The PyTorch recipe: 1 layer of 64, Adam 1e-3, batch 32, 100 epochs.

    ``readout`` is what the linear head reads: the state at the last real step
    (``"last"``), or the mean or max of the states over the real steps.
    """
    import torch
    from torch import nn
    from torch.nn.utils.rnn import (
        pack_padded_sequence,
        pad_packed_sequence,
        pad_sequence,
    )

    from sk_rnn import SequenceScaler

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = np.random.RandomState(seed)
    classify = kind == "classification"
    start = time.perf_counter()
    scaler = SequenceScaler().fit(X_train)

    def tensors(X):
        X = scaler.transform(X)
        seqs = [torch.as_tensor(np.asarray(x), dtype=torch.float32) for x in X]
        lengths = torch.tensor([len(s) for s in seqs])
        return pad_sequence(seqs, batch_first=True), lengths

    Xt, lt = tensors(X_train)
    if classify:
        classes, codes = np.unique(y_train, return_inverse=True)
        yt = torch.as_tensor(codes, dtype=torch.long)
        n_out, loss_fn = len(classes), nn.CrossEntropyLoss()
    else:
        mean, std = y_train.mean(), y_train.std() or 1.0
        yt = torch.as_tensor((y_train - mean) / std, dtype=torch.float32)[:, None]
        n_out, loss_fn = 1, nn.MSELoss()
    rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](
        Xt.shape[2], 64, batch_first=True
    )
    head = nn.Linear(64, n_out)

    def forward(X, lengths):
        packed = pack_padded_sequence(
            X, lengths, batch_first=True, enforce_sorted=False
        )
        out, h = rnn(packed)
        if readout == "last":
            return head((h[0] if cell == "lstm" else h)[-1])
        fill = 0.0 if readout == "mean" else -torch.inf
        H, _ = pad_packed_sequence(out, batch_first=True, padding_value=fill)
        if readout == "mean":
            return head(H.sum(dim=1) / lengths[:, None].to(H.dtype))
        return head(H.max(dim=1).values)

    params = list(rnn.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    n = len(yt)
    for _ in range(epochs):
        order = rng.permutation(n)
        for i in range(0, n, 32):
            batch = torch.as_tensor(order[i : i + 32])
            optimizer.zero_grad()
            loss = loss_fn(forward(Xt[batch], lt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        Xs, ls = tensors(X_test)
        out = forward(Xs, ls).numpy()
    if classify:
        return classes[out.argmax(axis=1)], seconds, epochs
    return out[:, 0] * std + mean, seconds, epochs


def run(args):
    params = parse_sets(args.set)
    if args.readout is not None:
        params["readout"] = args.readout
    patch_init(args.init, args.forget_bias)
    label = args.label or describe_label(params, args.init, args.forget_bias)
    records = load_records(args.out)
    have_torch = True
    try:
        import torch  # noqa: F401
    except ImportError:
        have_torch = False
    for name in args.datasets:
        X_train, y_train, X_test, y_test, kind = DATASETS[name]()
        X_train, y_train = subsample(X_train, y_train, args.max_train, kind)
        for model in args.models:
            if model in TORCH_MODELS and not have_torch:
                print(f"{model}: torch is not installed, skipped", flush=True)
                continue
            # the baselines do not read --set or --init: one label for them
            model_label = label if model not in FLAT_MODELS else "baseline"
            if model in TORCH_MODELS:
                model_label = torch_label(args.torch_readout, args.torch_epochs)
            for seed in args.seeds:
                if model == "dummy" and seed != args.seeds[0]:
                    continue  # deterministic
                split = (kind, X_train, y_train, X_test, seed)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if model in FLAT_MODELS:
                        out = fit_flat(model, *split)
                    elif model in CELLS:
                        out = fit_sk_rnn(
                            model, *split, params, args.frames, args.transform
                        )
                    else:
                        out = fit_torch(
                            model.split("-")[1],
                            *split,
                            epochs=args.torch_epochs,
                            readout=args.torch_readout,
                        )
                y_pred, seconds, epochs = out[:3]
                record = {
                    "dataset": name,
                    "kind": kind,
                    "model": model,
                    "label": model_label,
                    "seed": seed,
                    "score": score(kind, y_test, y_pred),
                    "fit_seconds": round(seconds, 3),
                    "epochs": epochs,
                    "n_train": len(y_train),
                    "max_train": args.max_train,
                }
                if len(out) > 3:
                    record["train_score"] = out[3]
                print(
                    f"{name:22s} {model:10s} {model_label:28s} seed {seed}  "
                    f"score {record['score']:8.4f}  {seconds:8.2f} s  "
                    f"epochs {epochs}"
                    + (f"  train {out[3]:.4f}" if len(out) > 3 else ""),
                    flush=True,
                )
                key = (name, model, model_label, seed)
                records = [r for r in records if record_key(r) != key] + [record]
                save_records(args.out, records)


def torch_label(readout, epochs):
    """``default`` for the recipe of issue 17, else what differs from it."""
    parts = []
    if readout != "last":
        parts.append(f"readout={readout}")
    if epochs != 100:
        parts.append(f"epochs={epochs}")
    return ",".join(parts) or "default"


def describe_label(params, init, forget_bias):
    parts = [f"{k}={v}" for k, v in sorted(params.items())]
    if init != "pytorch":
        parts.append(f"init={init}")
    if forget_bias is not None:
        parts.append(f"forget_bias={forget_bias}")
    return ",".join(parts) or "default"


def record_key(r):
    return (r["dataset"], r["model"], r["label"], r["seed"], r.get("max_train"))


def load_records(path):
    if path and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return []


def save_records(path, records):
    if path:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(records, f, indent=1)
        os.replace(tmp, path)


def read_reports(paths, labels=None):
    records = []
    for path in paths:
        records += load_records(path)
    if labels:
        records = [r for r in records if r["label"] in labels + ["baseline"]]
    return records


def report(paths, labels=None):
    """Markdown tables: per data set and model, mean (worst) of seeds and seconds."""
    records = read_reports(paths, labels)
    groups = {}
    for r in records:
        key = (r["dataset"], r["model"], r["label"], r.get("max_train"))
        groups.setdefault(key, []).append(r)
    names = [d for d in DATASETS if any(k[0] == d for k in groups)]
    print(
        "| data set | model | setting | seeds | score mean | worst | best | "
        "fit s (mean) | epochs (mean) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in names:
        keys = [k for k in groups if k[0] == name]
        keys.sort(
            key=lambda k: (k[3] or 0, ALL_MODELS.index(k[1]), k[2] != "default", k[2])
        )
        for key in keys:
            rs = groups[key]
            s = np.array([r["score"] for r in rs])
            kind = rs[0]["kind"]
            scale = 100.0 if kind == "classification" else 1.0
            fmt = "{:.1f}" if kind == "classification" else "{:.3f}"
            epochs = [r["epochs"] for r in rs if r["epochs"] is not None]
            sub = f" (n={rs[0]['n_train']})" if rs[0].get("max_train") else ""
            print(
                f"| {name}{sub} | {key[1]} | {key[2]} | {len(rs)} | "
                f"{fmt.format(scale * s.mean())} | {fmt.format(scale * s.min())} | "
                f"{fmt.format(scale * s.max())} | "
                f"{np.mean([r['fit_seconds'] for r in rs]):.2f} | "
                f"{np.mean(epochs) if epochs else float('nan'):.0f} |"
            )


def criteria(paths, labels=None):
    """Issue 17's "done when" criteria, for every sk_rnn cell and setting measured.

    Classification: the mean of seeds against the better of 1-NN and the flat MLP
    (``win`` at or above it, ``loss`` more than 5 points below, ``close`` between),
    and the spread of seeds (best minus worst, at most 5 points). Regression and
    forecasting: the mean R² against the dummy and the flat MLP.
    """
    records = read_reports(paths, labels)
    mean = {}  # (data set, model, label, subsample) -> scores of the seeds
    for r in records:
        key = (r["dataset"], r["model"], r["label"], r.get("max_train"))
        mean.setdefault(key, []).append(r["score"])
    kinds = {r["dataset"]: r["kind"] for r in records}
    settings = sorted({(k[1], k[2]) for k in mean if k[1] in CELLS})
    sets = sorted(
        {(k[0], k[3]) for k in mean},
        key=lambda s: (list(DATASETS).index(s[0]), s[1] or 0),
    )
    print(
        "\n| cell | setting | sets | classification: win / close / loss | "
        "seed spread > 5 points | regression: below dummy or MLP |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for cell, label in settings:
        wins, close, losses, spread, below, n = [], [], [], [], [], 0
        for name, sub in sets:
            scores = mean.get((name, cell, label, sub))
            base = {
                m: np.mean(mean[(name, m, "baseline", sub)])
                for m in ("1nn", "mlp", "dummy")
                if (name, m, "baseline", sub) in mean
            }
            if scores is None or not base:
                continue
            n += 1
            name = f"{name} (n={sub})" if sub else name
            if kinds[name.split()[0]] == "classification":
                target = max(base.get("1nn", -np.inf), base.get("mlp", -np.inf))
                gap = 100 * (np.mean(scores) - target)
                (wins if gap >= 0 else close if gap >= -5 else losses).append(name)
                if round(100 * (max(scores) - min(scores)), 9) > 5:  # 87 - 82 is 5
                    spread.append(name)
            else:
                if np.mean(scores) < max(
                    base.get(m, -np.inf) for m in ("dummy", "mlp")
                ):
                    below.append(name)
        print(
            f"| {cell} | {label} | {n} | {len(wins)} / {len(close)} / {len(losses)}"
            f" ({', '.join(losses) or '-'} lose) | {', '.join(spread) or '-'} | "
            f"{', '.join(below) or '-'} |"
        )


def compare(paths, label, base="default"):
    """Per data set: the baseline to beat, and each cell's ``base`` against ``label``.

    Each cell of the table is ``mean (worst) / fit seconds`` over the seeds;
    ``base`` is the setting the candidate is measured against (``"default"``: the
    0.1.0 defaults of the first runs; ``"defaults 0.2.0"``: ``results_after.json``).
    The PyTorch column is always the recipe of issue 17 (label ``default``).
    """
    records = read_reports(paths, sorted({"default", base, label}))
    groups = {}
    for r in records:
        groups.setdefault((r["dataset"], r["model"], r["label"]), []).append(r)
    cells = [c for c in CELLS if any(k[1] == c and k[2] == label for k in groups)]
    head = " | ".join(f"{c} {base} | {c} candidate" for c in cells)
    print(f"\ncandidate: `{label}`\n")
    print(f"| data set | to beat | {head} | PyTorch recipe (best cell) |")
    print("| --- | --- | " + "--- | " * (2 * len(cells)) + "--- |")
    for name in DATASETS:
        if not any(k[0] == name and k[2] == label for k in groups):
            continue
        kind = next(r["kind"] for k, rs in groups.items() if k[0] == name for r in rs)
        scale, fmt = (100.0, "{:.1f}") if kind == "classification" else (1.0, "{:.3f}")

        def cell(key, scale=scale, fmt=fmt):
            rs = groups.get(key)
            if not rs:
                return "-"
            s = np.array([r["score"] for r in rs]) * scale
            secs = np.mean([r["fit_seconds"] for r in rs])
            return f"{fmt.format(s.mean())} ({fmt.format(s.min())}) / {secs:.1f} s"

        refs = ("1nn", "mlp") if kind == "classification" else ("dummy", "mlp")
        best = max(
            (np.mean([r["score"] for r in groups[(name, m, "baseline")]]), m)
            for m in refs
            if (name, m, "baseline") in groups
        )
        torch_rows = [
            (np.mean([r["score"] for r in groups[(name, m, "default")]]), m)
            for m in TORCH_MODELS
            if (name, m, "default") in groups
        ]
        row = [f"{fmt.format(scale * best[0])} ({best[1]})"]
        for c in cells:
            row += [cell((name, c, base)), cell((name, c, label))]
        if torch_rows:
            t = max(torch_rows)
            row.append(f"{cell((name, t[1], 'default'))} ({t[1]})")
        else:
            row.append("-")
        print(f"| {name} | " + " | ".join(row) + " |")


def wide(paths, columns, seeds=None):
    """One row per data set, one column per ``MODEL:LABEL``, and the one to beat.

    Each cell is ``mean (worst) / fit seconds`` over ``seeds`` (the baselines'
    records are all read); ``-`` where the setting was not run on that set.
    """
    records = [
        r
        for r in read_reports(paths)
        if seeds is None or r["label"] == "baseline" or r["seed"] in seeds
    ]
    groups = {}
    for r in records:
        groups.setdefault((r["dataset"], r["model"], r["label"]), []).append(r)
    keys = [tuple(c.split(":", 1)) for c in columns]
    names = [
        d for d in DATASETS if any((d, *k) in groups for k in keys if k[0] in CELLS)
    ]
    print(
        "| data set | to beat | " + " | ".join(f"{m}: {lab}" for m, lab in keys) + " |"
    )
    print("| --- | --- |" + " --- |" * len(keys))
    for name in names:
        kind = next(r["kind"] for r in records if r["dataset"] == name)
        scale, fmt = (100.0, "{:.1f}") if kind == "classification" else (1.0, "{:.3f}")
        refs = ("1nn", "mlp") if kind == "classification" else ("dummy", "mlp")
        best = max(
            (
                (np.mean([r["score"] for r in groups[(name, m, "baseline")]]), m)
                for m in refs
                if (name, m, "baseline") in groups
            ),
            default=None,
        )
        row = [f"{fmt.format(scale * best[0])} ({best[1]})" if best else "-"]
        for m, lab in keys:
            rs = groups.get((name, m, lab))
            if not rs:
                row.append("-")
                continue
            v = np.array([r["score"] for r in rs]) * scale
            secs = np.mean([r["fit_seconds"] for r in rs])
            row.append(f"{fmt.format(v.mean())} ({fmt.format(v.min())}) / {secs:.1f} s")
        print(f"| {name} | " + " | ".join(row) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS)
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--models", nargs="+", default=list(ALL_MODELS), choices=list(ALL_MODELS)
    )
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="override an sk_rnn parameter (candidate default); scaler__KEY sets "
        "one of SequenceScaler's",
    )
    parser.add_argument(
        "--init",
        default="pytorch",
        choices=["pytorch", "orthogonal"],
        help="recurrent-weight initialisation (prototype)",
    )
    parser.add_argument(
        "--forget-bias",
        type=float,
        default=None,
        help="LSTM forget-gate bias at initialisation (prototype)",
    )
    parser.add_argument(
        "--readout",
        default=None,
        choices=["last", "mean", "max"],
        help="sk_rnn's readout parameter (records before 0.2.0 used a patch)",
    )
    parser.add_argument(
        "--frames",
        type=lambda v: v if v.startswith("auto") else int(v),
        default=1,
        help="stack every K consecutive steps into one step before sk_rnn "
        "(a recipe for long series, prototype); 'auto': n_timesteps // 32, "
        "'auto:S': n_timesteps // S",
    )
    parser.add_argument(
        "--transform",
        default="none",
        choices=list(TRANSFORMS),
        help="applied to every sequence before sk_rnn's pipeline (prototype): "
        "'slog' sign(x) * log1p(|x|), 'scale' each sequence over its own std "
        "beside that std's log10 as one more feature; 'shape' without it; 'level' "
        "only it; 'both' the sequence as it is beside 'scale''s features; "
        "'float32' the values as they are, in float32",
    )
    parser.add_argument(
        "--torch-readout",
        default="last",
        choices=["last", "mean", "max"],
        help="what the PyTorch recipe's head reads (prototype)",
    )
    parser.add_argument(
        "--torch-epochs",
        type=int,
        default=100,
        help="epochs of the PyTorch recipe (prototype; the recipe is 100)",
    )
    parser.add_argument(
        "--max-train",
        type=int,
        default=None,
        help="at most N training sequences (stratified, seed 0)",
    )
    parser.add_argument(
        "--label",
        default=None,
        help="name of this setting in the records "
        "(default: the --set/--init values, or 'default')",
    )
    parser.add_argument("--out", default="results.json")
    parser.add_argument(
        "--report",
        nargs="+",
        metavar="JSON",
        help="print the tables from these result files and exit",
    )
    parser.add_argument(
        "--labels",
        nargs="+",
        default=None,
        help="with --report: only these settings (and baselines)",
    )
    parser.add_argument(
        "--compare",
        default=None,
        metavar="LABEL",
        help="with --report: each cell's default against LABEL",
    )
    parser.add_argument(
        "--base",
        default="default",
        metavar="LABEL",
        help="with --compare: the setting LABEL is compared against "
        "(e.g. 'defaults 0.2.0')",
    )
    parser.add_argument(
        "--wide",
        nargs="+",
        default=None,
        metavar="MODEL:LABEL",
        help="with --report: one column per setting, e.g. 'gru:defaults 0.2.0' "
        "(the records of --seeds only)",
    )
    args = parser.parse_args(argv)
    if args.report and args.wide:
        wide(args.report, args.wide, args.seeds)
        return
    if args.report and args.compare:
        compare(args.report, args.compare, args.base)
        return
    if args.report:
        report(args.report, args.labels)
        criteria(args.report, args.labels)
        return
    with threadpool_limits(1):
        run(args)


if __name__ == "__main__":
    main()
