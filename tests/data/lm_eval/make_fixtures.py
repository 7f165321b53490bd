"""How the lm-evaluation-harness files in this folder were made (run once, by hand).

They are written by the harness's own writer, ``EvaluationTracker.save_results_aggregated``
of ``lm_eval`` 0.4.13 (``pip download lm-eval==0.4.13 --no-deps``, unzipped at ``$LM_EVAL``),
with ``requests``, ``pyyaml`` and ``jinja2`` on the path. Its module imports ``datasets`` and
``huggingface_hub`` for pushing to the Hub only; those two are stubbed, the writer runs
unchanged. The results dicts have the shape of ``lm_eval.result_schema.EvalResults`` as
``simple_evaluate`` returns it ("acc,none", "acc_stderr,none", "acc_norm,none", "alias",
configs, versions, n-shot, config.model_args). The accuracies are made up (synthetic models
``tiny-{10m,40m,160m}``): the files test the reader, not a model.

    LM_EVAL=/tmp/lm_eval_pkg DEPS=/tmp/lm_eval_deps python tests/data/lm_eval/make_fixtures.py

Two more sets, for how several files of one model merge (``split``, ``rerun``; each written
once into its empty folder beside this one, ``tests/data/lm_eval_<set>``):

* ``split``: each model evaluated twice, hellaswag and arc_easy first, piqa in a later run;
* ``rerun``: each model evaluated in ``b_first/``, then hellaswag evaluated again later, in
  ``a_rerun/``, 0.02 higher (``a_rerun`` sorts first by path; the harness dates it later);
* ``ckpt``: org/tiny-40m evaluated from a checkpoint path
  (``pretrained=/ckpts/org/tiny-40m/step-5000``), the name the harness then records.

    LM_EVAL=... DEPS=... python tests/data/lm_eval/make_fixtures.py split
    LM_EVAL=... DEPS=... python tests/data/lm_eval/make_fixtures.py rerun
    LM_EVAL=... DEPS=... python tests/data/lm_eval/make_fixtures.py ckpt
"""

from __future__ import annotations

import os
import sys
import time
import types
from pathlib import Path

sys.path[:0] = [os.environ["LM_EVAL"], os.environ["DEPS"]]
for name in ("datasets", "datasets.utils", "datasets.utils.metadata", "huggingface_hub"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["datasets"].load_dataset = None  # type: ignore[attr-defined]
sys.modules["datasets.utils.metadata"].MetadataConfigs = object  # type: ignore[attr-defined]
sys.modules["huggingface_hub"].HfApi = object  # type: ignore[attr-defined]

from lm_eval.loggers.evaluation_tracker import EvaluationTracker  # noqa: E402

HERE = Path(__file__).resolve().parent
MODELS = {  # model -> (hellaswag acc, acc_norm), (piqa acc, acc_norm), (arc_easy acc, acc_norm)
    "org/tiny-10m": ((0.262, 0.268), (0.585, 0.579), (0.378, 0.352)),
    "org/tiny-40m": ((0.281, 0.295), (0.612, 0.604), (0.421, 0.389)),
    "org/tiny-160m": ((0.318, 0.356), (0.648, 0.641), (0.489, 0.447)),
}
TASKS = ("hellaswag", "piqa", "arc_easy")


def results_for(
    model: str,
    scores: tuple[tuple[float, float], ...],
    tasks: tuple[str, ...] = TASKS,
    date: float = 1767225600.0,
) -> dict[str, object]:
    """The results of ``tasks`` (the scores of TASKS, picked by name)."""
    picked = dict(zip(TASKS, scores, strict=True))
    per_task = {
        task: {
            "alias": task,
            "acc,none": picked[task][0],
            "acc_stderr,none": 0.004,
            "acc_norm,none": picked[task][1],
            "acc_norm_stderr,none": 0.004,
        }
        for task in tasks
    }
    return {
        "results": per_task,
        "group_subtasks": {task: [] for task in tasks},
        "configs": {task: {"task": task, "output_type": "multiple_choice"} for task in tasks},
        "versions": dict.fromkeys(tasks, 1.0),
        "n-shot": dict.fromkeys(tasks, 0),
        "higher_is_better": {task: {"acc": True, "acc_norm": True} for task in tasks},
        "n-samples": {task: {"original": 1000, "effective": 1000} for task in tasks},
        "config": {"model": "hf", "model_args": f"pretrained={model}", "batch_size": 8},
        "git_hash": None,
        "date": date,
    }


def save(folder: Path, model: str, results: dict[str, object], path: str = "") -> None:
    """One evaluation of ``model`` (read from ``path``, else by its name) as the harness
    saves it under ``folder``."""
    tracker = EvaluationTracker(output_path=str(folder))
    tracker.general_config_tracker.log_experiment_args(
        model_source="hf",
        model_args=f"pretrained={path or model}",
        system_instruction=None,
        chat_template=None,
        fewshot_as_multiturn=False,
    )
    tracker.save_results_aggregated(results=results, samples=None)


def main(which: str) -> None:
    if which == "base":
        for model, scores in MODELS.items():
            save(HERE, model, results_for(model, scores))
        return
    folder = HERE.parent / f"lm_eval_{which}"
    if folder.exists():
        raise SystemExit(f"{folder} exists: these files are written once")
    if which == "ckpt":
        ckpt, model = "/ckpts/org/tiny-40m/step-5000", "org/tiny-40m"
        results = results_for(ckpt, MODELS[model], TASKS, time.time())
        save(folder, model, results, path=ckpt)
        return
    for model, scores in MODELS.items():  # the earlier evaluation first: the names date them
        if which == "split":
            save(folder, model, results_for(model, scores, ("hellaswag", "arc_easy"), time.time()))
            save(folder, model, results_for(model, scores, ("piqa",), time.time()))
        elif which == "rerun":
            save(folder / "b_first", model, results_for(model, scores, TASKS, time.time()))
            better = ((scores[0][0] + 0.02, scores[0][1]), *scores[1:])
            save(folder / "a_rerun", model, results_for(model, better, ("hellaswag",), time.time()))
        else:
            raise SystemExit(f"unknown set {which!r}: base, split or rerun")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "base")
