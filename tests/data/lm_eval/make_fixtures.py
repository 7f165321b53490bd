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
"""

from __future__ import annotations

import os
import sys
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


def results_for(model: str, scores: tuple[tuple[float, float], ...]) -> dict[str, object]:
    per_task = {
        task: {
            "alias": task,
            "acc,none": acc,
            "acc_stderr,none": 0.004,
            "acc_norm,none": norm,
            "acc_norm_stderr,none": 0.004,
        }
        for task, (acc, norm) in zip(TASKS, scores, strict=True)
    }
    return {
        "results": per_task,
        "group_subtasks": {task: [] for task in TASKS},
        "configs": {task: {"task": task, "output_type": "multiple_choice"} for task in TASKS},
        "versions": dict.fromkeys(TASKS, 1.0),
        "n-shot": dict.fromkeys(TASKS, 0),
        "higher_is_better": {task: {"acc": True, "acc_norm": True} for task in TASKS},
        "n-samples": {task: {"original": 1000, "effective": 1000} for task in TASKS},
        "config": {"model": "hf", "model_args": f"pretrained={model}", "batch_size": 8},
        "git_hash": None,
        "date": 1767225600.0,
    }


def main() -> None:
    for model, scores in MODELS.items():
        tracker = EvaluationTracker(output_path=str(HERE))
        tracker.general_config_tracker.log_experiment_args(
            model_source="hf",
            model_args=f"pretrained={model}",
            system_instruction=None,
            chat_template=None,
            fewshot_as_multiturn=False,
        )
        tracker.save_results_aggregated(results=results_for(model, scores), samples=None)


if __name__ == "__main__":
    main()
