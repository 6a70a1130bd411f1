"""Fitted models survive pickle, joblib and skops with identical predictions; load
refuses untrusted files that are not such models."""

import io
import pickle
import zipfile

import joblib
import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import make_pipeline

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler
from sk_rnn.io import dump, load, trusted_types

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(params=[RNNClassifier, RNNRegressor])
def fitted(request):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 5, 2))
    y = (X[:, 0, 0] > 0).astype(int)
    est = request.param(hidden_layer_sizes=(4, 3), bidirectional=True, max_iter=5)
    return est.set_params(random_state=0).fit(X, y), X


def test_pickle_and_joblib(fitted, tmp_path):
    est, X = fitted
    path = tmp_path / "model.joblib"
    joblib.dump(est, path)
    for restored in (pickle.loads(pickle.dumps(est)), joblib.load(path)):
        np.testing.assert_array_equal(restored.predict(X), est.predict(X))


def test_skops_file_holds_only_trusted_types(fitted, tmp_path):
    est, X = fitted
    path = tmp_path / "model.skops"
    dump(est, path)
    # Everything skops would ask about is ours, so load() needs no approval ...
    assert set(sio.get_untrusted_types(file=path)) <= set(trusted_types())
    restored = load(path)
    np.testing.assert_array_equal(restored.predict(X), est.predict(X))
    if hasattr(est, "predict_proba"):
        np.testing.assert_array_equal(restored.predict_proba(X), est.predict_proba(X))
    # ... and it keeps training where it stopped (on the training labels: as in
    # MLP, a warm start needs every class of the first fit).
    y = (X[:, 0, 0] > 0).astype(int)
    restored.set_params(warm_start=True, max_iter=1).fit(X, y)


class Intruder:
    """A type that is neither sk_rnn's nor trusted by skops."""


def test_skops_load_refuses_foreign_types(fitted, tmp_path):
    est, _ = fitted
    est.intruder_ = Intruder()
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    with pytest.raises(ValueError, match="Refusing to load .*Intruder"):
        load(path)


def test_skops_loads_a_pipeline_of_the_scaler_and_a_model(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(loc=50.0, size=(30, 5, 2))
    y = (X[:, 0, 0] > 50).astype(int)
    pipe = make_pipeline(SequenceScaler(), RNNClassifier((4,), max_iter=5)).fit(X, y)
    path = tmp_path / "pipeline.skops"
    dump(pipe, path)
    np.testing.assert_array_equal(load(path).predict_proba(X), pipe.predict_proba(X))


def test_a_fitted_search_is_refused_and_its_best_estimator_loads(tmp_path):
    """What the README says of sk_rnn.io.load and scikit-learn's types."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import GridSearchCV

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(ConvergenceWarning):
        search = GridSearchCV(
            RNNClassifier((4,), max_iter=3, random_state=0), {"cell": ["rnn"]}, cv=2
        ).fit(X, y)
    with pytest.raises(ValueError, match="load.. would refuse .*StratifiedKFold"):
        dump(search, tmp_path / "search.skops")  # nothing is written
    assert not (tmp_path / "search.skops").exists()
    sio.dump(search, tmp_path / "search.skops")  # written by skops itself
    with pytest.raises(ValueError, match="StratifiedKFold"):
        load(tmp_path / "search.skops")
    buffer = io.BytesIO()  # an open binary file, as skops takes
    dump(search.best_estimator_, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(load(buffer).predict(X), search.predict(X))
    dump(search.best_estimator_, tmp_path / "best.skops")
    loaded = load(tmp_path / "best.skops")
    np.testing.assert_array_equal(loaded.predict(X), search.predict(X))


# ------------------------------------------------------------ untrusted files
def _rewrite(source, target, change):
    """Copy the archive ``source`` to ``target``, members mapped by ``change``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            data = change(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)


@pytest.fixture
def saved(tmp_path):
    X = np.random.RandomState(0).normal(size=(20, 4, 2))
    reg = RNNRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    path = tmp_path / "model.skops"
    dump(reg.fit(X, X[:, 0, 0]), path)
    return path


def test_load_refuses_objects_that_are_not_models(tmp_path):
    for obj in [{"a": 1}, np.zeros(3)]:
        path = tmp_path / "object.skops"
        sio.dump(obj, path)
        with pytest.raises(ValueError, match="object.skops: it holds a .*, not an"):
            load(path)


def test_load_refuses_a_forged_array_header(saved, tmp_path):
    with zipfile.ZipFile(saved) as archive:
        first = next(n for n in archive.namelist() if n.endswith(".npy"))

    def forge(name, data):
        if name != first:
            return data
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": "<f8", "fortran_order": False, "shape": (2**31,)}
        )
        return header.getvalue() + bytes(1000)  # asks for 16 GiB

    forged = tmp_path / "forged.skops"
    _rewrite(saved, forged, forge)
    with pytest.raises(ValueError, match="forged.skops: its contents declare more"):
        load(forged)


def test_load_refuses_corrupted_archives(saved, tmp_path):
    raw = saved.read_bytes()
    truncated = tmp_path / "truncated.skops"
    truncated.write_bytes(raw[: len(raw) // 2])
    no_json = tmp_path / "json.skops"
    _rewrite(saved, no_json, lambda n, d: b"{not json" if n == "schema.json" else d)
    with zipfile.ZipFile(saved) as archive:
        first = next(n for n in archive.namelist() if n.endswith(".npy"))
    missing = tmp_path / "missing.skops"
    _rewrite(saved, missing, lambda n, d: None if n == first else d)
    for path in [truncated, no_json, missing]:
        with pytest.raises(ValueError, match=f"{path.name}: it is not a readable"):
            load(path)


def test_load_refuses_weights_of_the_wrong_shape(saved, tmp_path):
    reg = load(saved)
    reg.output_weight_ = np.zeros((5, 1))
    path = tmp_path / "shape.skops"
    sio.dump(reg, path)
    with pytest.raises(ValueError, match="weight 'output_weight' is an array of"):
        load(path)


def test_load_accepts_a_model_below_max_bytes_only(saved):
    assert isinstance(load(saved), RNNRegressor)  # about 10 kB
    with pytest.raises(ValueError, match="more than max_bytes=100 bytes"):
        load(saved, max_bytes=100)


def test_models_saved_before_the_readout_load_with_the_last_state(tmp_path):
    """Pickles and skops files of 0.1.0 have no readout nor n_features_per_step."""
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(30, 5, 2)), rng.normal(size=30)
    with pytest.warns(Warning):
        reg = RNNRegressor((3,), readout="last", max_iter=2, random_state=0).fit(X, y)
    old = pickle.loads(pickle.dumps(reg))
    del old.__dict__["readout"], old.__dict__["n_features_per_step"]
    del old._network.readout, old._network.architecture["readout"]
    expected = reg.predict(X)
    for loaded in (pickle.loads(pickle.dumps(old)), _skops_round_trip(old, tmp_path)):
        assert loaded.get_params()["readout"] == "last"
        assert loaded.get_params()["n_features_per_step"] is None
        np.testing.assert_array_equal(loaded.predict(X), expected)
        with pytest.warns(Warning):
            loaded.set_params(warm_start=True, max_iter=1).fit(X, y)  # continues


def _skops_round_trip(estimator, tmp_path):
    dump(estimator, tmp_path / "old.skops")
    return load(tmp_path / "old.skops")


@pytest.mark.parametrize("patch_size", ["auto", 4])
def test_skops_loads_a_model_that_reads_patches(patch_size, tmp_path):
    # 120 steps: the default patch_size="auto" reads 3 steps as one, so the
    # network has 3 * n_features inputs; load must accept what dump wrote
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 120, 2))
    y = (X[:, :4, 0].sum(axis=1) > 0).astype(int)
    est = RNNClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    est.set_params(patch_size=patch_size).fit(X, y)
    assert est.patch_size_ > 1
    dump(est, tmp_path / "patches.skops")
    loaded = load(tmp_path / "patches.skops")
    assert loaded.patch_size_ == est.patch_size_
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))


@pytest.mark.parametrize("scaling", ["missing", "short"])
def test_skops_refuses_patches_without_their_scaling(scaling, tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 12, 2))
    y = (X[:, :4, 0].sum(axis=1) > 0).astype(int)
    est = RNNClassifier(hidden_layer_sizes=(4,), max_iter=3, patch_size=3).fit(X, y)
    est._patch_scaling = None if scaling == "missing" else est._patch_scaling[:, :5]
    with pytest.raises(ValueError, match=r"load.. would refuse .*need \(2, 6\)"):
        dump(est, tmp_path / "patches.skops")
    sio.dump(est, tmp_path / "patches.skops")  # a file tampered with
    with pytest.raises(ValueError, match=r"patch scaling is .*need \(2, 6\)"):
        load(tmp_path / "patches.skops")


@pytest.mark.parametrize(
    "attribute, value, message",
    [
        ("per_sequence_", np.ones(3, bool), "not a bool array"),
        ("per_sequence_", np.array([0.5, 2.0]), "not a bool array"),
        ("per_sequence_", [True, False], "not a bool array"),
        ("per_sequence_", None, "not a bool array"),
        ("reference_std_", np.array([1.0, -2.0]), "not a positive float array"),
        ("reference_std_", np.ones(3), "not a positive float array"),
        ("reference_std_", None, "not a positive float array"),
    ],
)
def test_skops_refuses_a_scaler_whose_fitted_sizes_do_not_fit(
    attribute, value, message, tmp_path
):
    X = np.random.RandomState(0).normal(size=(20, 12, 2))
    scaler = SequenceScaler().fit(X)
    setattr(scaler, attribute, value)
    sio.dump(scaler, tmp_path / "scaler.skops")  # a file tampered with
    with pytest.raises(ValueError, match=f"{attribute} is .*{message}"):
        load(tmp_path / "scaler.skops")


def test_skops_loads_a_scaler_saved_before_per_sequence(tmp_path):
    X = np.random.RandomState(0).normal(size=(20, 12, 2))
    scaler = SequenceScaler(per_sequence=False).fit(X)
    expected = scaler.transform(X)
    del scaler.per_sequence, scaler.per_sequence_, scaler.reference_std_  # as 0.1.0
    sio.dump(scaler, tmp_path / "old.skops")  # as 0.1.0 wrote it
    loaded = load(tmp_path / "old.skops")
    np.testing.assert_array_equal(loaded.per_sequence_, [False, False])
    np.testing.assert_array_equal(loaded.transform(X), expected)
