#!/usr/bin/env python3
"""Trains the run Classifier Workbench exported (`classifier-workbench export-job`) with Hugging Face Trainer.

Reads job.json and data/{train,validation,test}.jsonl beside this file, fine-tunes
AutoModelForSequenceClassification with the run's configuration (hyperparameters, seed, linear warm-up and decay,
weight decay, gradient clipping and accumulation, early stopping, class weights, multi-label, LoRA through peft,
or a frozen encoder), and writes a Classifier Workbench run folder as it trains (default results/<run id>/).
Bring that folder back and run `classifier-workbench runs import <folder>`.

    ./run.sh                                   accelerate launch with accelerate_config.yaml (GPUs, nodes)
    python train.py                            one process (one GPU, or the CPU)
"""
import argparse
import math
import os
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cw_run_folder as rf  # noqa: E402  (beside this file)
from transformers import TrainerCallback  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train the exported Classifier Workbench run with Hugging Face Trainer.")
    p.add_argument("--job", default=os.path.join(HERE, "job.json"), help="the job description (default: job.json beside train.py)")
    p.add_argument("--output", default=None, help="the run folder to write (default: results/<run id> beside train.py)")
    p.add_argument("--model", default=None, help="train from this model folder or Hugging Face id instead of the job's (same labels and mode)")
    p.add_argument("--trainer-dir", default=None, help="where Trainer keeps its own checkpoints (default: trainer-output/ beside train.py)")
    args = p.parse_args(argv)
    job_dir = os.path.dirname(os.path.abspath(args.job))
    args.trainer_dir = args.trainer_dir or os.path.join(job_dir, "trainer-output")
    return args


def run_dir_of(args, job):
    return args.output or os.path.join(os.path.dirname(os.path.abspath(args.job)), "results", job["runId"])


def model_source(job, job_dir, override=None):
    """The model to start from: --model, else the copy in the job folder, else the Hub id (with its revision)."""
    if override:
        return override, None
    m = job["model"]
    if m.get("folder"):
        return os.path.join(job_dir, m["folder"]), None
    return m["hubId"], m.get("revision")


def per_device_batch_size(batch_size, world_size):
    """The engine's batch size is the global batch of one micro-step: split over the processes, which must divide it."""
    if batch_size % world_size != 0:
        raise rf.JobError(f"batch size {batch_size} is not divisible by the {world_size} processes; export the job again with --batch a multiple of {world_size}")
    return batch_size // world_size


class RunFolderCallback(TrainerCallback):
    """Writes the run folder from Trainer's events: a progress event per logging step, an epoch event per evaluation.

    `evaluations` holds the full metrics of the latest evaluation (compute_metrics puts them there), because
    Trainer passes on only scalars. Only the main process writes.
    """

    def __init__(self, writer, evaluations, world_zero=True):
        self.writer = writer
        self.evaluations = evaluations
        self.world_zero = world_zero
        self.started = time.time()
        self.epoch_losses = []
        self.samples_per_step = 1

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if not self.world_zero or "loss" not in logs or state.max_steps <= 0:
            return
        self.epoch_losses.append(logs["loss"])
        steps_per_epoch = max(1, math.ceil(state.max_steps / max(1, args.num_train_epochs)))
        done = max(1, state.global_step)
        elapsed = time.time() - self.started
        self.writer.progress(
            epoch=min(math.ceil(args.num_train_epochs) - 1, (done - 1) // steps_per_epoch),
            step=done,
            total_steps=state.max_steps,
            loss=float(logs["loss"]),
            learning_rate=float(logs.get("learning_rate", 0.0)),
            samples_per_second=done * self.samples_per_step / elapsed if elapsed > 0 else 0.0,
            eta_seconds=(state.max_steps - done) * elapsed / done,
        )

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        if not self.world_zero or not self.evaluations.get("training"):
            return
        full = self.evaluations.pop("latest", None)
        if full is None:
            return
        epoch = int(round(state.epoch or 0))
        # The mean of the logged training losses of the epoch (each is a mean over its logging interval).
        train_loss = sum(self.epoch_losses) / len(self.epoch_losses) if self.epoch_losses else None
        self.epoch_losses = []
        self.writer.evaluated(epoch, train_loss, full)


def workbench_loss(torch, logits, labels, multi_label, class_weights, pos_weights):
    """The engine's objective (src/engine/models/nn/classificationObjective.ts), averaged over the batch's examples:
    single-label  w_y · −log softmax(z)_y                              (CrossEntropyLoss(weight=w), per example)
    multi-label   Σ_c w_c [−v_c t_c log σ(z_c) − (1 − t_c) log(1 − σ(z_c))]  (BCEWithLogitsLoss, summed over labels)
    """
    F = torch.nn.functional
    if multi_label:
        per_example = F.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype), weight=class_weights, pos_weight=pos_weights, reduction="none").sum(-1)
    else:
        per_example = F.cross_entropy(logits, labels, weight=class_weights, reduction="none")
    return per_example.mean()


def main(argv=None):
    args = parse_args(argv)
    job_dir = os.path.dirname(os.path.abspath(args.job))
    job = rf.load_job(args.job)
    data = {name: rf.read_split(os.path.join(job_dir, job["splits"][name])) for name in rf.SPLITS}

    import inspect

    import torch
    import transformers
    from transformers import (AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding,
                              EarlyStoppingCallback, Trainer, TrainingArguments, set_seed)

    cfg = job["config"]
    labels = job["labels"]
    multi_label = job["problemType"] == "multi_label_classification"
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    world_zero = int(os.environ.get("RANK", "0")) == 0
    set_seed(cfg["seed"])

    source, revision = model_source(job, job_dir, args.model)
    tokenizer = AutoTokenizer.from_pretrained(source, revision=revision)
    hf_config = AutoConfig.from_pretrained(
        source, revision=revision, num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)}, problem_type=job["problemType"],
    )
    if job["model"].get("fromConfig") and not args.model:
        model = AutoModelForSequenceClassification.from_config(hf_config)  # `scratch`: random weights from the seed
    else:
        model = AutoModelForSequenceClassification.from_pretrained(source, revision=revision, config=hf_config, ignore_mismatched_sizes=True)
    if cfg["mode"] == "feature-extraction":
        for name, parameter in model.named_parameters():
            parameter.requires_grad = name.startswith("classifier")
    elif cfg["mode"] == "lora":
        from peft import LoraConfig, TaskType, get_peft_model

        lora = cfg["lora"]
        # TaskType.SEQ_CLS keeps the whole classification head trainable (modules_to_save), as the engine's LoRA.
        model = get_peft_model(model, LoraConfig(task_type=TaskType.SEQ_CLS, r=lora["rank"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"], target_modules=lora["targets"]))

    index = {label: i for i, label in enumerate(labels)}

    def encode(examples):
        enc = tokenizer([e["text"] for e in examples], truncation=True, max_length=cfg["maxLength"])
        rows = []
        for i, e in enumerate(examples):
            row = {key: values[i] for key, values in enc.items()}
            if multi_label:
                row["labels"] = [1.0 if label in rf.example_labels(e) else 0.0 for label in labels]
            else:
                row["labels"] = index[e["label"]]
            rows.append(row)
        return rows

    encoded = {name: encode(examples) for name, examples in data.items()}
    objective = job["objective"]
    device_weights = {}

    def weights(name):
        values = objective.get(name)
        return None if values is None else torch.tensor(values, dtype=torch.float32)

    class WorkbenchTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
            labels_ = inputs.pop("labels")
            outputs = model(**inputs)
            logits = outputs.logits
            for name in ("classWeights", "posWeights"):
                if name not in device_weights:
                    w = weights(name)
                    device_weights[name] = None if w is None else w.to(logits.device)
            loss = workbench_loss(torch, logits, labels_, multi_label, device_weights["classWeights"], device_weights["posWeights"])
            return (loss, outputs) if return_outputs else loss

    evaluations = {}

    def compute_metrics(eval_pred):
        logits = eval_pred.predictions[0] if isinstance(eval_pred.predictions, tuple) else eval_pred.predictions
        probs = rf.logits_to_probs(logits.tolist(), multi_label)
        metrics = rf.evaluate(probs, data["validation"], labels, multi_label, "validation", "tune")
        evaluations["latest"] = metrics
        return {"selection": rf.selection_loss(metrics), "accuracy": metrics["accuracy"], "macro_f1": metrics["macroF1"]}

    micro_batch = per_device_batch_size(cfg["batchSize"], world_size)
    steps_per_epoch = math.ceil(math.ceil(len(data["train"]) / cfg["batchSize"]) / cfg["gradientAccumulation"])
    training_args = dict(
        output_dir=args.trainer_dir, seed=cfg["seed"], data_seed=cfg["seed"],
        num_train_epochs=cfg["epochs"], per_device_train_batch_size=micro_batch, per_device_eval_batch_size=max(micro_batch, 32),
        gradient_accumulation_steps=cfg["gradientAccumulation"], learning_rate=cfg["learningRate"], weight_decay=cfg["weightDecay"],
        warmup_ratio=cfg["warmupRatio"], lr_scheduler_type="linear", max_grad_norm=cfg["maxGradNorm"],
        optim="adamw_torch", adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8,
        save_strategy="epoch", save_total_limit=2, load_best_model_at_end=True,
        metric_for_best_model="selection", greater_is_better=False,
        logging_strategy="steps", logging_steps=max(1, min(50, steps_per_epoch // 10)),
        report_to=[], label_names=["labels"], remove_unused_columns=False,
    )
    # `evaluation_strategy` became `eval_strategy` in transformers 4.41; take whichever this version has.
    parameters = inspect.signature(TrainingArguments.__init__).parameters
    training_args["eval_strategy" if "eval_strategy" in parameters else "evaluation_strategy"] = "epoch"
    callbacks = [EarlyStoppingCallback(early_stopping_patience=cfg["patience"], early_stopping_threshold=rf.MIN_IMPROVEMENT)] if cfg["patience"] > 0 else []

    run_dir = run_dir_of(args, job)
    origin = describe_origin(torch, transformers, world_size)
    writer = rf.RunFolderWriter(run_dir, job, data, origin)
    callback = RunFolderCallback(writer, evaluations, world_zero)
    callback.samples_per_step = cfg["batchSize"] * cfg["gradientAccumulation"]
    trainer = WorkbenchTrainer(
        model=model, args=TrainingArguments(**training_args), train_dataset=encoded["train"], eval_dataset=encoded["validation"],
        data_collator=DataCollatorWithPadding(tokenizer), compute_metrics=compute_metrics, callbacks=callbacks + [callback],
    )
    parameters_total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if world_zero:
        writer.start({
            "kind": hf_config.model_type, "source": job["model"]["source"], "mode": cfg["mode"], "parameters": parameters_total,
            "trainableParameters": trainable, "backend": origin["backend"], "maxLength": min(cfg["maxLength"], getattr(hf_config, "max_position_embeddings", cfg["maxLength"])),
        }, steps_per_epoch)
    try:
        def predict_probs(split):
            trainer.compute_metrics = None
            out = trainer.predict(encoded[split])
            trainer.compute_metrics = compute_metrics
            logits = out.predictions[0] if isinstance(out.predictions, tuple) else out.predictions
            return rf.logits_to_probs(logits.tolist(), multi_label)

        # Baseline (epoch 0): the untrained model on validation and test, for the before/after table.
        baseline_validation = predict_probs("validation")
        baseline = rf.evaluate(baseline_validation, data["validation"], labels, multi_label, "validation", "tune")
        thresholds = baseline["multiLabel"]["thresholds"] if multi_label else None
        baseline_test = rf.evaluate(predict_probs("test"), data["test"], labels, multi_label, "test", thresholds) if data["test"] else None
        if world_zero:
            writer.evaluated(0, None, baseline, baseline_test)
        evaluations["training"] = True
        trainer.train()
        evaluations["training"] = False
        trained_epochs = int(round(trainer.state.epoch or 0))
        if world_zero and cfg["patience"] > 0 and trained_epochs < cfg["epochs"]:
            writer.stopped_early_after(trained_epochs, cfg["patience"])
        # load_best_model_at_end restored the best epoch's weights: predictions and the exported model are from it.
        validation_probs = predict_probs("validation")
        test_probs = predict_probs("test") if data["test"] else None
        if world_zero:
            save_model(trainer, tokenizer, cfg["mode"], os.path.join(run_dir, "model"), job)
            writer.finish(validation_probs, test_probs, trained_epochs)
            print(f"run folder: {run_dir}\nimport it: classifier-workbench runs import {run_dir}")
    except KeyboardInterrupt:
        if world_zero:
            writer.fail("stopped (Ctrl+C) before the end; export the job again to train from the start", cancelled=True)
        raise
    except Exception as error:
        if world_zero:
            writer.fail(f"{type(error).__name__}: {error}")
        raise


def save_model(trainer, tokenizer, mode, folder, job):
    """The best model as a Hugging Face folder (LoRA merged into the weights, as the engine's export)."""
    model = trainer.model
    if mode == "lora":
        model = model.merge_and_unload()
    model.config.problem_type = job["problemType"]
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)


def describe_origin(torch, transformers, world_size):
    """Where the run trained: run.json `origin`, and the backend the run header shows."""
    versions = {"torch": torch.__version__, "transformers": transformers.__version__}
    for name in ("accelerate", "peft"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            pass
    nodes = int(os.environ.get("CW_NODES", "1"))
    if torch.cuda.is_available():
        devices = f"{world_size} × {torch.cuda.get_device_name(0)}" + (f" on {nodes} nodes" if nodes > 1 else "")
        backend = f"pytorch-cuda ({devices})"
    else:
        devices = f"{world_size} CPU process{'es' if world_size > 1 else ''}"
        backend = "pytorch-cpu"
    return {"kind": "accelerate", "host": socket.gethostname(), "worldSize": world_size, "nodes": nodes, "devices": devices, "backend": backend, "versions": versions}


if __name__ == "__main__":
    try:
        main()
    except rf.JobError as e:
        print(f"train.py: {e}", file=sys.stderr)
        sys.exit(2)
