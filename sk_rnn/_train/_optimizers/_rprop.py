"""Resilient backpropagation (Rprop): sign-based steps with one step size per weight.

Like the stochastic optimizers, it knows nothing of networks: ``update_params(params,
grads)`` takes two lists of arrays of matching shapes. Rprop is a full-batch method:
it reads only the sign of each gradient entry, which is meaningful only when every
call sees the same objective.
"""

import numpy as np

from ._stochastic import BaseOptimizer


class RpropOptimizer(BaseOptimizer):
    """iRprop- (Igel & Hüsken, 2000): Rprop without weight backtracking.

    Each weight ``w`` has its own step size ``step``. At every update, with ``g`` the
    current gradient entry and ``g_prev`` the one remembered from the previous update:

    - ``g * g_prev > 0`` (same sign): ``step = min(step * eta_plus, step_max)``;
    - ``g * g_prev < 0`` (the last step jumped over a minimum):
      ``step = max(step * eta_minus, step_min)`` and ``g`` is forgotten (set to zero),
      so this weight does not move now and its step is not changed next time;
    - then ``w -= sign(g) * step`` and ``g_prev = g``.

    The "-" variant does not undo the previous step after a sign change (Rprop+ and
    iRprop+ do); it is the simplest variant and as fast as any on most problems.

    Parameters
    ----------
    params : list of ndarray
        The parameters, used only for the shapes of the step sizes.
    learning_rate_init : float, default=0.0125
        Initial step size of every weight.
    eta_plus : float, default=1.2
        Factor growing the step while the gradient keeps its sign.
    eta_minus : float, default=0.5
        Factor shrinking the step when the gradient changes sign.
    step_min, step_max : float, default=1e-10, 50.0
        Bounds of the step sizes. ``step_max=50`` is Riedmiller's; the small
        ``step_min`` lets weights settle to near machine precision on problems with
        an exact minimum.

    Attributes
    ----------
    steps : list of ndarray
        Current step size of every weight.
    prev_grads : list of ndarray
        Gradient of the previous update, zero where it was forgotten.

    References
    ----------
    M. Riedmiller and H. Braun, "A direct adaptive method for faster backpropagation
    learning: the RPROP algorithm", ICNN 1993.
    C. Igel and M. Hüsken, "Improving the Rprop learning algorithm", NC 2000.
    """

    def __init__(
        self,
        params,
        learning_rate_init=0.0125,
        eta_plus=1.2,
        eta_minus=0.5,
        step_min=1e-10,
        step_max=50.0,
    ):
        super().__init__(learning_rate_init)
        self.eta_plus = eta_plus
        self.eta_minus = eta_minus
        self.step_min = step_min
        self.step_max = step_max
        self.steps = [np.full_like(param, learning_rate_init) for param in params]
        self.prev_grads = [np.zeros_like(param) for param in params]

    def _get_updates(self, grads):
        updates = []
        for step, prev, grad in zip(self.steps, self.prev_grads, grads):
            agreement = np.sign(grad) * np.sign(prev)  # +1 same sign, -1 flipped
            step *= np.where(
                agreement > 0, self.eta_plus, np.where(agreement < 0, self.eta_minus, 1)
            )
            np.clip(step, self.step_min, self.step_max, out=step)
            prev[...] = np.where(agreement < 0, 0, grad)  # forget a flipped gradient
            updates.append(-np.sign(prev) * step)
        return updates
