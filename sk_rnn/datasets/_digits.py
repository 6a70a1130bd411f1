"""scikit-learn's bundled 8x8 digits read as sequences: offline sequential MNIST."""

from numbers import Integral

from sklearn.datasets import load_digits
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, validate_params


@validate_params(
    {
        "pixel_by_pixel": ["boolean"],
        "n_class": [Interval(Integral, 2, 10, closed="both")],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_sequential_digits(pixel_by_pixel=False, *, n_class=10, return_X_y=False):
    """Load the handwritten digits as sequences, row by row or pixel by pixel.

    The 1,797 8x8 images of :func:`sklearn.datasets.load_digits` (shipped with
    scikit-learn, nothing is downloaded), scaled from ``0..16`` to ``[0, 1]``. By
    default each image is a sequence of its 8 rows, each row a step of 8 pixels;
    with ``pixel_by_pixel=True`` it is a sequence of its 64 pixels in reading
    order, one pixel a step: the small offline stand-in for sequential MNIST,
    which needs a memory of 64 steps.

    Parameters
    ----------
    pixel_by_pixel : bool, default=False
        Read 64 steps of one pixel instead of 8 steps of 8 pixels.
    n_class : int, default=10
        Keep the digits ``0, ..., n_class - 1`` only; ``n_class=2`` is the 0-vs-1
        task.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data``, ndarray of shape (n_samples, 8, 8) or (n_samples, 64, 1),
        the sequences; ``target``, ndarray of shape (n_samples,), the digits;
        ``target_names``, ndarray of shape (n_class,); ``images``, ndarray of shape
        (n_samples, 8, 8), the scaled images; and ``DESCR``, the description.
    (X, y) : tuple of ndarray
        ``data`` and ``target`` if ``return_X_y`` is True.

    See Also
    --------
    sklearn.datasets.load_digits : The same images as flat feature vectors.

    Examples
    --------
    >>> from sk_rnn.datasets import load_sequential_digits
    >>> X, y = load_sequential_digits(return_X_y=True)
    >>> X.shape, y.shape                 # 8 steps (rows) of 8 features (pixels)
    ((1797, 8, 8), (1797,))
    >>> float(X.min()), float(X.max())
    (0.0, 1.0)
    >>> X, y = load_sequential_digits(pixel_by_pixel=True, n_class=2,
    ...                               return_X_y=True)
    >>> X.shape, sorted(set(y.tolist()))  # 64 steps of 1 pixel, digits 0 and 1
    ((360, 64, 1), [0, 1])
    """
    digits = load_digits(n_class=n_class)
    images = digits.images / 16.0
    n_samples = images.shape[0]
    X = images.reshape(n_samples, 64, 1) if pixel_by_pixel else images.copy()
    y = digits.target
    if return_X_y:
        return X, y
    layout = "64 steps of 1 pixel" if pixel_by_pixel else "8 steps (rows) of 8 pixels"
    descr = (
        "Sequential digits\n-----------------\n\n"
        f"scikit-learn's 8x8 handwritten digits 0-{n_class - 1} ({n_samples} images), "
        f"scaled to [0, 1] and read as sequences of {layout}.\n\n" + digits.DESCR
    )
    return Bunch(
        data=X,
        target=y,
        target_names=digits.target_names[:n_class],
        images=images,
        DESCR=descr,
    )
