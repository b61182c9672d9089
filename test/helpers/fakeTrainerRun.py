"""Writes a result folder the way an exported job's train.py does, without transformers or a GPU.

Imports the job folder's own train.py with a stub `transformers` module (train.py imports only TrainerCallback at
module level), parses its arguments, and drives its RunFolderCallback and cw_run_folder.RunFolderWriter with a fake
Trainer: logging steps, one evaluation per epoch, the final predictions. The "model" is a seeded function of the
gold label (it gets better each epoch), so the metrics are not hard-coded but computed by cw_run_folder.

    python3 fakeTrainerRun.py <job folder> <run folder> [epochs] [seed]

Prints a JSON summary: the parsed arguments, the validation probabilities of the last epoch (for metric parity
checks) and the run folder.
"""
import importlib.util
import json
import math
import os
import random
import sys
import types


def load_train_module(job_dir):
    stub = types.ModuleType("transformers")
    stub.TrainerCallback = type("TrainerCallback", (), {})
    sys.modules["transformers"] = stub
    spec = importlib.util.spec_from_file_location("exported_train", os.path.join(job_dir, "train.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_probs(rf, examples, labels, multi_label, skill, rng):
    """Rows of probabilities: the gold label(s) get `skill` more logit than the rest, plus seeded noise."""
    rows = []
    for i, e in enumerate(examples):
        gold = set(e["labels"]) if multi_label else {e["label"]}
        if skill > 0 and i % 7 == 3:
            # Every seventh example is confidently wrong, so every split has mistakes to browse.
            gold = {labels[(labels.index(sorted(gold)[0]) + 1) % len(labels)]} if gold else {labels[0]}
        logits = [(skill if label in gold else 0.0) + rng.gauss(0, 1) for label in labels]
        rows.append(logits)
    rows = rf.logits_to_probs(rows, multi_label)
    # Float32-representable values, so the engine (Float32Array) and this script score the very same numbers.
    import struct
    return [[struct.unpack("f", struct.pack("f", p))[0] for p in row] for row in rows]


def main():
    job_dir, run_dir = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    train = load_train_module(job_dir)
    rf = train.rf
    args = train.parse_args(["--job", os.path.join(job_dir, "job.json"), "--output", run_dir])
    job = rf.load_job(args.job)
    data = {name: rf.read_split(os.path.join(job_dir, job["splits"][name])) for name in rf.SPLITS}
    labels, multi = job["labels"], job["problemType"] == "multi_label_classification"
    origin = {"kind": "accelerate", "host": "gpu-host", "worldSize": 2, "nodes": 1, "devices": "2 × Test GPU", "backend": "pytorch-cuda (2 × Test GPU)", "versions": {"torch": "test"}}
    writer = rf.RunFolderWriter(train.run_dir_of(args, job), job, data, origin)
    evaluations = {}
    callback = train.RunFolderCallback(writer, evaluations, True)
    cfg = job["config"]
    steps_per_epoch = math.ceil(math.ceil(len(data["train"]) / cfg["batchSize"]) / cfg["gradientAccumulation"])
    callback.samples_per_step = cfg["batchSize"] * cfg["gradientAccumulation"]
    writer.start({"kind": "bert", "source": job["model"]["source"], "mode": cfg["mode"], "parameters": 4386566, "trainableParameters": 4386566, "backend": origin["backend"], "maxLength": cfg["maxLength"]}, steps_per_epoch)

    baseline = rf.evaluate(fake_probs(rf, data["validation"], labels, multi, 0.0, rng), data["validation"], labels, multi, "validation", "tune")
    thresholds = baseline["multiLabel"]["thresholds"] if multi else None
    baseline_test = rf.evaluate(fake_probs(rf, data["test"], labels, multi, 0.0, rng), data["test"], labels, multi, "test", thresholds) if data["test"] else None
    writer.evaluated(0, None, baseline, baseline_test)

    training_args = types.SimpleNamespace(num_train_epochs=epochs)
    state = types.SimpleNamespace(max_steps=steps_per_epoch * epochs, global_step=0, epoch=0.0)
    evaluations["training"] = True
    validation_probs = None
    for epoch in range(1, epochs + 1):
        for step in range(steps_per_epoch):
            state.global_step += 1
            state.epoch = epoch - 1 + (step + 1) / steps_per_epoch
            callback.on_log(training_args, state, None, logs={"loss": 1.5 / (state.global_step ** 0.5), "learning_rate": 5e-5 * (1 - state.global_step / state.max_steps), "epoch": state.epoch})
        validation_probs = fake_probs(rf, data["validation"], labels, multi, 1.5 * epoch, rng)
        evaluations["latest"] = rf.evaluate(validation_probs, data["validation"], labels, multi, "validation", "tune")
        callback.on_evaluate(training_args, state, None, metrics={"eval_selection": 0})
    evaluations["training"] = False
    test_probs = fake_probs(rf, data["test"], labels, multi, 1.5 * epochs, rng) if data["test"] else None
    writer.finish(validation_probs, test_probs, epochs)
    print(json.dumps({"runDir": writer.run_dir, "trainerDir": args.trainer_dir, "validationProbs": validation_probs, "testProbs": test_probs}))


if __name__ == "__main__":
    main()
