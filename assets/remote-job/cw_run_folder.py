"""Classifier Workbench run folders, written from Python.

The exported training job (`classifier-workbench export-job`) trains with Hugging Face `Trainer`; this module
writes what it learns into the run-folder format the editor reads (run.json, events.jsonl, metrics.json,
predictions/{validation,test}.jsonl, report.md; `model/` is `save_pretrained`'s), computing the metrics exactly as
the engine does (src/engine/metrics/classificationMetrics.ts, multiLabelMetrics.ts: same definitions, same
15-bin ECE, same threshold grid), and the dataset fingerprint as src/engine/data/datasetFingerprint.ts does.

Plain Python 3.8+: no torch, numpy or transformers import, so it runs (and is tested) anywhere.
"""
import datetime
import hashlib
import json
import math
import os
import socket
import tempfile

JOB_FORMAT = "classifier-workbench-job"
JOB_VERSION = 1
#: Equal-width confidence bins of the expected calibration error (Guo et al. 2017), as the engine.
ECE_BINS = 15
MIN_PROB = 1e-12
DEFAULT_THRESHOLD = 0.5
#: Candidate per-label thresholds of multi-label runs: 0.05, 0.10, ..., 0.95 (the engine's THRESHOLD_GRID).
THRESHOLD_GRID = [round((i + 1) * 5) / 100 for i in range(19)]
#: A new selection loss must beat the best by this much to count (the engine's MIN_IMPROVEMENT).
MIN_IMPROVEMENT = 1e-6
SPLITS = ("train", "validation", "test")


class JobError(Exception):
    """A problem with the job folder or its data, with the file (and line) it is in."""


# ---------------------------------------------------------------------------------------------- job and data files


def load_job(path):
    """job.json of an exported job; raises JobError when it is missing or not a job of this format."""
    try:
        with open(path, encoding="utf-8") as f:
            job = json.load(f)
    except FileNotFoundError:
        raise JobError(f"{path}: no such file; run train.py from the folder `classifier-workbench export-job` wrote, or pass --job")
    except ValueError as e:
        raise JobError(f"{path}: not valid JSON ({e})")
    if not isinstance(job, dict) or job.get("format") != JOB_FORMAT:
        raise JobError(f"{path}: not a Classifier Workbench job (no \"format\": \"{JOB_FORMAT}\")")
    if job.get("version") != JOB_VERSION:
        raise JobError(f"{path}: job format version {job.get('version')!r}; this train.py reads version {JOB_VERSION} (export the job again)")
    return job


def read_split(path):
    """The examples of one split file: dicts with text, label (or labels), file, line."""
    examples = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    e = json.loads(line)
                except ValueError as err:
                    raise JobError(f"{path}:{number}: not valid JSON ({err}); export the job again")
                if not isinstance(e, dict) or not isinstance(e.get("text"), str) or not ("label" in e or "labels" in e):
                    raise JobError(f"{path}:{number}: expected {{\"text\", \"label\" or \"labels\", \"file\", \"line\"}}; export the job again")
                examples.append(e)
    except FileNotFoundError:
        raise JobError(f"{path}: no such file; the job folder is incomplete (export it again)")
    return examples


def example_labels(e):
    """The labels of an example: its list (multi-label) or its one label."""
    return e["labels"] if "labels" in e else [e["label"]]


def dataset_fingerprint(splits, labels):
    """sha256 (hex) over the label map and each split's texts, labels and order: datasetFingerprint.ts, in Python."""
    h = hashlib.sha256()
    h.update(("labels\0" + "\x01".join(labels) + "\0").encode("utf-8"))
    for name in SPLITS:
        h.update(f"split\0{name}\0{len(splits[name])}\0".encode("utf-8"))
        for e in splits[name]:
            label = js_json(e["labels"]) if "labels" in e else e["label"]
            h.update((e["text"] + "\x01" + label + "\0").encode("utf-8"))
    return h.hexdigest()


def js_json(value):
    """JSON as JavaScript's JSON.stringify writes it (no spaces, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ------------------------------------------------------------------------------------------------------ metrics


def softmax_rows(logits):
    out = []
    for row in logits:
        m = max(row)
        exps = [math.exp(z - m) for z in row]
        s = sum(exps)
        out.append([x / s for x in exps])
    return out


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def logits_to_probs(logits, multi_label):
    """Probabilities `[N][K]` from logits: softmax per row, or a sigmoid per value for multi-label runs."""
    return [[sigmoid(z) for z in row] for row in logits] if multi_label else softmax_rows(logits)


def arg_max(row):
    """Index of the largest value; the first one on ties (the engine's argMaxRow)."""
    best = 0
    for c in range(1, len(row)):
        if row[c] > row[best]:
            best = c
    return best


def _ece_bin(confidence):
    # Bin b holds confidences in (b/B, (b+1)/B]; confidence 0 goes to bin 0.
    return min(ECE_BINS - 1, max(0, math.ceil(confidence * ECE_BINS) - 1))


def classification_metrics(gold_ids, probs, labels, split):
    """Single-label metrics of `probs` `[N][K]` against gold ids, as computeMetrics (classificationMetrics.ts)."""
    n, k = len(gold_ids), len(labels)
    confusion = [[0] * k for _ in range(k)]
    bin_count, bin_conf, bin_correct = [0] * ECE_BINS, [0.0] * ECE_BINS, [0] * ECE_BINS
    loss_sum, correct = 0.0, 0
    for gold, row in zip(gold_ids, probs):
        predicted = arg_max(row)
        confidence = row[predicted]
        confusion[gold][predicted] += 1
        correct += predicted == gold
        loss_sum -= math.log(max(row[gold], MIN_PROB))
        b = _ece_bin(confidence)
        bin_count[b] += 1
        bin_conf[b] += confidence
        bin_correct[b] += predicted == gold
    ece = sum((bin_count[b] / n) * abs(bin_correct[b] / bin_count[b] - bin_conf[b] / bin_count[b]) for b in range(ECE_BINS) if bin_count[b] > 0)
    per_class = []
    for c, label in enumerate(labels):
        support = sum(confusion[c])
        predicted_as = sum(confusion[g][c] for g in range(k))
        tp = confusion[c][c]
        precision = tp / predicted_as if predicted_as > 0 else 0
        recall = tp / support if support > 0 else 0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0
        per_class.append({"label": label, "precision": precision, "recall": recall, "f1": f1, "support": support, "predicted": predicted_as})
    # Macro averages over the classes present in the truth or the predictions (scikit-learn without labels=).
    present = [m for m in per_class if m["support"] > 0 or m["predicted"] > 0]
    mean = lambda f: sum(m[f] for m in present) / len(present) if present else 0
    weighted = lambda f: sum(m[f] * m["support"] for m in per_class) / n if n > 0 else 0
    return {
        "split": split, "examples": n, "loss": loss_sum / n if n > 0 else 0, "accuracy": correct / n if n > 0 else 0,
        "macroPrecision": mean("precision"), "macroRecall": mean("recall"), "macroF1": mean("f1"), "macroLabelCount": len(present),
        "weightedPrecision": weighted("precision"), "weightedRecall": weighted("recall"), "weightedF1": weighted("f1"),
        "ece": ece, "perClass": per_class, "confusion": confusion,
    }


def _ranking_precision(gold_row, row, gold_count):
    k = len(row)
    if gold_count == 0 or gold_count == k:
        return 1
    total = 0.0
    for j in range(k):
        if gold_row[j] != 1:
            continue
        at_least = sum(1 for c in range(k) if row[c] >= row[j])
        gold_at_least = sum(1 for c in range(k) if row[c] >= row[j] and gold_row[c] == 1)
        total += gold_at_least / at_least
    return total / gold_count


def multi_label_metrics(gold, probs, thresholds, labels, split):
    """Multi-label metrics (gold multi-hot `[N][K]`), as computeMultiLabelMetrics (multiLabelMetrics.ts)."""
    k, n = len(labels), len(gold)
    tp, fp, fn = [0] * k, [0] * k, [0] * k
    bin_count, bin_conf, bin_correct = [0] * ECE_BINS, [0.0] * ECE_BINS, [0] * ECE_BINS
    exact = wrong = 0
    samples_p = samples_r = samples_f = lrap = loss_sum = 0.0
    for gold_row, row in zip(gold, probs):
        predicted_count = gold_count = both = 0
        for c in range(k):
            g = gold_row[c] == 1
            p = row[c]
            yes = p >= thresholds[c]
            predicted_count += yes
            gold_count += g
            if yes and g:
                both += 1
                tp[c] += 1
            elif yes:
                fp[c] += 1
            elif g:
                fn[c] += 1
            wrong += yes != g
            confidence = p if yes else 1 - p
            b = _ece_bin(confidence)
            bin_count[b] += 1
            bin_conf[b] += confidence
            bin_correct[b] += yes == g
            loss_sum -= math.log(max(p, MIN_PROB)) if g else math.log(max(1 - p, MIN_PROB))
        exact += predicted_count == gold_count and both == gold_count
        if predicted_count > 0:
            samples_p += both / predicted_count
        if gold_count > 0:
            samples_r += both / gold_count
        if predicted_count + gold_count > 0:
            samples_f += 2 * both / (predicted_count + gold_count)
        lrap += _ranking_precision(gold_row, row, gold_count)
    decisions = n * k
    ece = sum((bin_count[b] / decisions) * abs(bin_correct[b] / bin_count[b] - bin_conf[b] / bin_count[b]) for b in range(ECE_BINS) if bin_count[b] > 0)
    rate = lambda num, den: num / den if den > 0 else 0
    f1_of = lambda p, r: 2 * p * r / (p + r) if p + r > 0 else 0
    per_class = []
    for c, label in enumerate(labels):
        precision, recall = rate(tp[c], tp[c] + fp[c]), rate(tp[c], tp[c] + fn[c])
        per_class.append({"label": label, "precision": precision, "recall": recall, "f1": f1_of(precision, recall), "support": tp[c] + fn[c]})
    total_support = sum(m["support"] for m in per_class)
    mean = lambda f: sum(m[f] for m in per_class) / k if k > 0 else 0
    weighted = lambda f: sum(m[f] * m["support"] for m in per_class) / total_support if total_support > 0 else 0
    micro_p, micro_r = rate(sum(tp), sum(tp) + sum(fp)), rate(sum(tp), sum(tp) + sum(fn))
    multi = {
        "microPrecision": micro_p, "microRecall": micro_r, "microF1": f1_of(micro_p, micro_r),
        "samplesPrecision": rate(samples_p, n), "samplesRecall": rate(samples_r, n), "samplesF1": rate(samples_f, n),
        "subsetAccuracy": rate(exact, n), "hammingLoss": rate(wrong, decisions), "labelRankingAveragePrecision": rate(lrap, n),
        "thresholds": list(thresholds), "labelConfusion": [[n - tp[c] - fp[c] - fn[c], fp[c], fn[c], tp[c]] for c in range(k)],
    }
    return {
        "split": split, "examples": n, "loss": loss_sum / n if n > 0 else 0, "accuracy": multi["subsetAccuracy"],
        "macroPrecision": mean("precision"), "macroRecall": mean("recall"), "macroF1": mean("f1"), "macroLabelCount": k,
        "weightedPrecision": weighted("precision"), "weightedRecall": weighted("recall"), "weightedF1": weighted("f1"),
        "ece": ece, "perClass": per_class, "confusion": [], "multiLabel": multi,
    }


def tune_thresholds(gold, probs, k):
    """Per-label thresholds maximising each label's F1 over THRESHOLD_GRID (ties: nearest 0.5), as tuneThresholds."""
    out = []
    for c in range(k):
        positives = sum(row[c] for row in gold)
        if positives == 0:
            out.append(DEFAULT_THRESHOLD)
            continue
        best, best_f1 = DEFAULT_THRESHOLD, -1.0
        for t in THRESHOLD_GRID:
            predicted = tp = 0
            for gold_row, row in zip(gold, probs):
                if row[c] >= t:
                    predicted += 1
                    tp += gold_row[c]
            f1 = 2 * tp / (predicted + positives)
            if f1 > best_f1 + 1e-12 or (abs(f1 - best_f1) <= 1e-12 and abs(t - 0.5) < abs(best - 0.5)):
                best_f1, best = f1, t
        out.append(best)
    return out


def selection_loss(metrics):
    """What checkpoint selection and early stopping minimise: validation loss, multi-label 1 − macro F1 (tuned)."""
    return 1 - metrics["macroF1"] if "multiLabel" in metrics else metrics["loss"]


def evaluate(probs, examples, labels, multi_label, split, thresholds="tune"):
    """Metrics of `probs` on `examples`; multi-label: thresholds given, or 'tune' = tuned on these examples."""
    index = {label: i for i, label in enumerate(labels)}
    if multi_label:
        gold = [[0] * len(labels) for _ in examples]
        for row, e in zip(gold, examples):
            for label in example_labels(e):
                row[index[label]] = 1
        if thresholds == "tune":
            thresholds = tune_thresholds(gold, probs, len(labels))
        return multi_label_metrics(gold, probs, thresholds or [DEFAULT_THRESHOLD] * len(labels), labels, split)
    return classification_metrics([index[e["label"]] for e in examples], probs, labels, split)


def round6(x):
    """Six significant digits, as the engine's prediction files (Number(x.toPrecision(6)))."""
    return float(f"{x:.6g}")


def prediction_lines(examples, probs, labels, thresholds=None):
    """The lines of predictions/<split>.jsonl (src/engine/runs/writePredictions.ts), as JSON text."""
    lines = []
    index = {label: i for i, label in enumerate(labels)}
    for e, row in zip(examples, probs):
        if thresholds is not None:
            gold_labels = list(example_labels(e))
            predicted = [label for c, label in enumerate(labels) if row[c] >= thresholds[c]]
            loss = -sum(math.log(max(row[c], MIN_PROB)) if label in gold_labels else math.log(max(1 - row[c], MIN_PROB)) for c, label in enumerate(labels))
            line = {
                "text": e["text"], "file": e["file"], "line": e["line"], "gold": ", ".join(gold_labels), "predicted": ", ".join(predicted),
                "confidence": round6(max([0.0] + list(row))), "loss": round6(loss), "probabilities": [round6(p) for p in row],
                "goldLabels": gold_labels, "predictedLabels": predicted,
                "missedLabels": [x for x in gold_labels if x not in predicted], "extraLabels": [x for x in predicted if x not in gold_labels],
            }
        else:
            p = arg_max(row)
            line = {
                "text": e["text"], "file": e["file"], "line": e["line"], "gold": e["label"], "predicted": labels[p],
                "confidence": round6(row[p]), "loss": round6(-math.log(max(row[index[e["label"]]], MIN_PROB))), "probabilities": [round6(x) for x in row],
            }
        lines.append(js_json(line))
    return lines


# ------------------------------------------------------------------------------------------------------ the writer


def now_iso():
    """The time as JavaScript's Date.toISOString writes it (UTC, milliseconds, Z)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def write_atomic(path, text):
    """Writes `text` to `path` through a temp file and a rename, so a reader never sees half a file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_json_atomic(path, value):
    write_atomic(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


class RunFolderWriter:
    """Writes one run folder as training goes: the same files, names and shapes as a local run of the engine.

    Call start() once, then progress()/evaluated()/log() as training goes, then finish() or fail().
    Only the main process of a distributed run writes (the caller checks `is_world_process_zero`).
    """

    def __init__(self, run_dir, job, data, origin):
        """`data`: {"train", "validation", "test"} example lists; `origin`: where and how the run trained."""
        self.run_dir = run_dir
        self.job = job
        self.data = data
        self.labels = list(job["labels"])
        self.multi_label = job["problemType"] == "multi_label_classification"
        self.run_id = job["runId"]
        self.evaluations = []
        self.best_epoch = None
        self.best_loss = None
        self.baseline_test = None
        self.stopped_early = False
        fingerprint = dataset_fingerprint(data, self.labels)
        if fingerprint != job["dataset"]["fingerprint"]:
            raise JobError(
                f"the split files in data/ do not match job.json (fingerprint {fingerprint[:12]}… against {job['dataset']['fingerprint'][:12]}…): "
                "they were edited after the export; export the job again"
            )
        created = now_iso()
        self.record = {
            "runId": self.run_id, "state": "queued", "config": job["config"], "labels": self.labels, "backend": None,
            "dataset": {
                "path": job["dataset"]["path"], "fingerprint": fingerprint, "labels": self.labels,
                "counts": {name: len(data[name]) for name in SPLITS}, "splitSource": job["dataset"]["splitSource"],
            },
            "model": None, "createdAt": created, "updatedAt": created,
            "progress": {"epoch": 0, "step": 0, "stepsPerEpoch": 0, "epochs": job["config"]["epochs"]},
            "best": None, "problemType": job["problemType"], "classWeights": job["objective"]["summary"], "test": None,
            "origin": origin,
        }

    # paths, as runPaths (src/common/runFolder/runRecord.ts)
    def path(self, *parts):
        return os.path.join(self.run_dir, *parts)

    def _write_run(self):
        self.record["updatedAt"] = now_iso()
        write_json_atomic(self.path("run.json"), self.record)

    def emit(self, event):
        """Appends one event to events.jsonl ({time, ...event}, as the engine's EventLog)."""
        os.makedirs(self.run_dir, exist_ok=True)
        with open(self.path("events.jsonl"), "a", encoding="utf-8") as f:
            f.write(js_json({"time": now_iso(), **event}) + "\n")

    def log(self, message, level="info"):
        self.emit({"type": "log", "level": level, "runId": self.run_id, "message": message})

    def _set_state(self, state, message=None):
        self.record["state"] = state
        if message:
            self.record["message"] = message
        else:
            self.record.pop("message", None)
        if state in ("completed", "failed", "cancelled"):
            self.record["finishedAt"] = now_iso()
        if state == "running":
            self.record["owner"] = {"pid": os.getpid(), "host": socket.gethostname()}
        else:
            self.record.pop("owner", None)
        self._write_run()
        self.emit({"type": "state", "runId": self.run_id, "state": state, **({"message": message} if message else {})})

    def start(self, model, steps_per_epoch):
        """The run begins: `model` is run.json's ModelDescription (kind, source, mode, parameters, backend...)."""
        if os.path.isdir(self.run_dir) and os.listdir(self.run_dir):
            raise JobError(f"{self.run_dir}: the run folder exists and is not empty; move it away or pass --output")
        os.makedirs(self.run_dir, exist_ok=True)
        self.record["model"] = model
        self.record["backend"] = model["backend"]
        self.record["progress"]["stepsPerEpoch"] = steps_per_epoch
        self._set_state("running")
        if self.multi_label:
            self.log(f"multi-label data ({len(self.labels)} labels): sigmoid outputs, binary cross-entropy, per-label thresholds tuned on validation")
        self.log(f"class weights: {self.job['objective']['summary']}")
        self.log(f"model: {model['kind']} ({model['source']}), {model['parameters']:,} parameters, {model['trainableParameters']:,} trained; backend {model['backend']}")

    def progress(self, epoch, step, total_steps, loss, learning_rate, samples_per_second, eta_seconds):
        """One logging step, as the engine's RunProgress: `epoch` 0-based, `step` the optimiser steps done so far
        (1-based, counted over the whole run), `total_steps` those of the whole run."""
        self.emit({
            "type": "progress", "runId": self.run_id, "epoch": epoch, "epochs": self.job["config"]["epochs"], "step": step,
            "totalSteps": total_steps, "loss": loss, "learningRate": learning_rate,
            "samplesPerSecond": samples_per_second, "etaSeconds": eta_seconds,
        })

    def evaluated(self, epoch, train_loss, metrics, baseline_test=None):
        """A validation evaluation: epoch 0 = the baseline before training. Returns whether it is the best so far."""
        is_best = False
        if epoch > 0:
            score = selection_loss(metrics)
            is_best = self.best_loss is None or score < self.best_loss - MIN_IMPROVEMENT
            if is_best:
                self.best_epoch, self.best_loss = epoch, score
        else:
            self.baseline_test = baseline_test
        self.evaluations.append({"epoch": epoch, "trainLoss": train_loss, "validation": metrics, "isBest": is_best})
        if epoch > 0:
            self.record["progress"].update({"epoch": epoch, "step": 0})
            self.record["best"] = self._best_summary()
            self._write_run()
        self._write_metrics(None)
        self.emit({"type": "epoch", "runId": self.run_id, "epoch": epoch, "trainLoss": train_loss, "validation": metrics, "isBest": is_best})
        return is_best

    def stopped_early_after(self, epoch, patience):
        self.stopped_early = True
        what = "validation macro F1 (thresholds tuned on validation)" if self.multi_label else "validation loss"
        self.log(f"early stopping after epoch {epoch}: {what} has not improved for {patience} epochs")

    def _best_summary(self):
        best = next((e for e in self.evaluations if e["epoch"] == self.best_epoch), None)
        if best is None:
            return None
        v = best["validation"]
        return {"epoch": best["epoch"], "trainLoss": best["trainLoss"], "validationLoss": v["loss"], "validationAccuracy": v["accuracy"], "validationMacroF1": v["macroF1"]}

    def _write_metrics(self, test):
        best = next((e for e in self.evaluations if e["epoch"] == self.best_epoch), None)
        metrics = {
            "labels": self.labels, "baseline": self.evaluations[0]["validation"] if self.evaluations else None,
            "baselineTest": self.baseline_test, "epochs": [e for e in self.evaluations if e["epoch"] > 0],
            "bestEpoch": self.best_epoch, "best": best["validation"] if best else None, "test": test, "stoppedEarly": self.stopped_early,
        }
        if self.multi_label:
            metrics["multiLabel"] = True
        write_json_atomic(self.path("metrics.json"), metrics)
        return metrics

    def finish(self, validation_probs, test_probs, trained_epochs):
        """The best checkpoint's predictions on validation and test: writes predictions/, metrics.json, report.md."""
        validation = evaluate(validation_probs, self.data["validation"], self.labels, self.multi_label, "validation", "tune")
        thresholds = validation["multiLabel"]["thresholds"] if self.multi_label else None
        if thresholds is not None:
            self.record["thresholds"] = thresholds
            self.log("thresholds tuned on validation: " + ", ".join(f"{label} {t}" for label, t in zip(self.labels, thresholds)))
        test = evaluate(test_probs, self.data["test"], self.labels, self.multi_label, "test", thresholds) if self.data["test"] else None
        for split, probs in (("validation", validation_probs), ("test", test_probs if self.data["test"] else None)):
            if probs is None:
                continue
            lines = prediction_lines(self.data[split], probs, self.labels, thresholds)
            write_atomic(self.path("predictions", f"{split}.jsonl"), "\n".join(lines) + "\n" if lines else "")
        metrics = self._write_metrics(test)
        if test is not None:
            self.emit({"type": "test", "runId": self.run_id, "test": test})
        self.record["best"] = self._best_summary()
        self.record["test"] = {"accuracy": test["accuracy"], "macroF1": test["macroF1"], "loss": test["loss"]} if test else None
        self.record["progress"].update({"epoch": trained_epochs, "step": 0})
        self._set_state("completed")
        write_atomic(self.path("report.md"), render_report(self.record, metrics))
        return metrics

    def fail(self, message, cancelled=False):
        self._set_state("cancelled" if cancelled else "failed", message)


def _pct(x):
    return f"{x * 100:.1f}%"


def render_report(record, metrics):
    """A short report.md; `classifier-workbench runs import` replaces it with the engine's full report."""
    lines = [f"# Run {record['runId']}", "", f"Trained with Hugging Face Trainer on {record['origin']['devices']} ({record['backend']}).", ""]
    lines += ["| | accuracy | macro F1 | loss |", "|---|---|---|---|"]
    for name, m in (("baseline (validation)", metrics["baseline"]), ("best (validation)", metrics["best"]), ("test", metrics["test"])):
        if m:
            lines.append(f"| {name} | {_pct(m['accuracy'])} | {_pct(m['macroF1'])} | {m['loss']:.4f} |")
    lines += ["", "Import this folder into the editor: `classifier-workbench runs import <this folder>`.", ""]
    return "\n".join(lines)
