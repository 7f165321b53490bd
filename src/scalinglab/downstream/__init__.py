"""Downstream prediction: loss-to-loss and loss-to-accuracy laws, chains from (N, D) to
task accuracy with one bootstrap over models, and which tasks can be predicted at all."""

from scalinglab.downstream._average import AVERAGE
from scalinglab.downstream._backtest import DownstreamBacktest, backtest_downstream
from scalinglab.downstream._chain import DownstreamFit, TaskPrediction, fit_downstream
from scalinglab.downstream._evals import KNOWN_CHANCE, Evals, read_chance, read_evals
from scalinglab.downstream._io import load_chain, save_chain
from scalinglab.downstream._laws import (
    DOWNSTREAM_LAWS,
    ExponentialError,
    LossToLoss,
    Sigmoid,
    downstream_law,
)
from scalinglab.downstream._loss_to_loss import (
    LossToLossFit,
    LossToLossPrediction,
    fit_loss_to_loss,
)
from scalinglab.downstream._noise import KNOWN_EXAMPLES, eval_noise
from scalinglab.downstream._plan import AccuracyPlan, plan_for_accuracy
from scalinglab.downstream._refit import Step
from scalinglab.downstream._stored import read_store_evals
from scalinglab.downstream._task import TaskFit
from scalinglab.downstream._task_backtest import TaskBacktest

__all__ = [
    "AVERAGE",
    "DOWNSTREAM_LAWS",
    "KNOWN_CHANCE",
    "KNOWN_EXAMPLES",
    "AccuracyPlan",
    "DownstreamBacktest",
    "DownstreamFit",
    "Evals",
    "ExponentialError",
    "LossToLoss",
    "LossToLossFit",
    "LossToLossPrediction",
    "Sigmoid",
    "Step",
    "TaskBacktest",
    "TaskFit",
    "TaskPrediction",
    "backtest_downstream",
    "downstream_law",
    "eval_noise",
    "fit_downstream",
    "fit_loss_to_loss",
    "load_chain",
    "plan_for_accuracy",
    "read_chance",
    "read_evals",
    "read_store_evals",
    "save_chain",
]
