"""scikit-learn's estimator checks, with no expected failures and no weakening tag."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler


@parametrize_with_checks(
    [
        RNNClassifier(),
        RNNRegressor(),
        RNNClassifier(cell="lstm"),
        RNNRegressor(cell="gru"),
        SequenceScaler(),
        RNNClassifier(n_features_per_step=1),
        RNNRegressor(n_features_per_step=1),
        SequenceScaler(n_features_per_step=1),
        # every column after the first a static feature: any width fits
        RNNClassifier(n_features_per_step=1, n_timesteps=1),
        RNNRegressor(n_timesteps=1),
        SequenceScaler(n_timesteps=1),
        # two steps a patch, the last completed with zeros for odd widths
        RNNClassifier(patch_size=2),
        RNNRegressor(patch_size=3),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
