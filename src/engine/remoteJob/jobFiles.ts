// The text files of an exported job besides job.json and the data: requirements.txt, the accelerate config,
// run.sh and the README that says how to run it locally, on a GPU host over SSH and in a notebook.
import type { JobDescription } from './exportJob';

/**
 * The version ranges train.py is written for: `eval_strategy` and `compute_loss(**kwargs)` need transformers ≥ 4.41;
 * transformers 5 may change Trainer's API, so it is excluded until the job has been run with it.
 */
export const REQUIREMENTS = [
  'torch>=2.1,<3',
  'transformers>=4.41,<5',
  'accelerate>=0.30,<2',
  'peft>=0.11,<1',
  'safetensors>=0.4',
  'numpy>=1.24',
];

/** requirements.txt, accelerate_config.yaml, run.sh and README.md of `job`, by file name. */
export function renderJobFiles(job: JobDescription): Record<string, string> {
  return {
    'requirements.txt': `# Version ranges train.py is written for (pip install -r requirements.txt)\n${REQUIREMENTS.join('\n')}\n`,
    'accelerate_config.yaml': acceleratorConfig(job.topology),
    'run.sh': runScript(job.topology),
    'README.md': readme(job),
  };
}

/**
 * An `accelerate` config for `gpus` GPUs on each of `nodes` machines: one process per GPU (MULTI_GPU, DDP), one
 * process on one GPU (NO), or one CPU process (`use_cpu`). Multi-node: run.sh passes the machine rank and the main
 * machine's address from the environment, so the same folder runs on every machine.
 */
export function acceleratorConfig(t: JobDescription['topology']): string {
  // Quoted: YAML 1.1 (PyYAML, which accelerate reads its config with) takes a bare NO for the boolean false.
  const distributed = t.processes > 1 ? 'MULTI_GPU' : "'NO'";
  return [
    '# accelerate config of this job (https://huggingface.co/docs/accelerate/package_reference/cli#accelerate-config).',
    `# ${t.gpus === 0 ? 'CPU only' : `${t.gpus} GPU${t.gpus > 1 ? 's' : ''} per machine`} × ${t.nodes} machine${t.nodes > 1 ? 's' : ''} = ${t.processes} process${t.processes > 1 ? 'es' : ''}; export the job again to change it.`,
    '# mixed_precision: bf16 trains faster on recent GPUs, but differs in the last digits from the local run (fp32).',
    'compute_environment: LOCAL_MACHINE',
    `distributed_type: ${distributed}`,
    'downcast_bf16: \'no\'',
    ...(t.gpus > 0 ? ['gpu_ids: all'] : []),
    'machine_rank: 0',
    ...(t.nodes > 1 ? ['main_process_ip: 127.0.0.1', 'main_process_port: 29500', 'rdzv_backend: static', 'same_network: true'] : []),
    'main_training_function: main',
    'mixed_precision: \'no\'',
    `num_machines: ${t.nodes}`,
    `num_processes: ${t.processes}`,
    `use_cpu: ${t.gpus === 0}`,
    '',
  ].join('\n');
}

function runScript(t: JobDescription['topology']): string {
  const multiNode = t.nodes > 1;
  return [
    '#!/usr/bin/env bash',
    '# Trains this job with accelerate (see README.md); extra arguments go to train.py (python train.py --help).',
    ...(multiNode ? ['# On every machine: MACHINE_RANK=<0..' + (t.nodes - 1) + '> MAIN_PROCESS_IP=<address of machine 0> ./run.sh'] : []),
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `export CW_NODES=${t.nodes}`,
    multiNode
      ? 'exec accelerate launch --config_file accelerate_config.yaml --machine_rank "${MACHINE_RANK:?set MACHINE_RANK}" --main_process_ip "${MAIN_PROCESS_IP:?set MAIN_PROCESS_IP}" train.py "$@"'
      : 'exec accelerate launch --config_file accelerate_config.yaml train.py "$@"',
    '',
  ].join('\n');
}

function readme(job: JobDescription): string {
  const c = job.config;
  const results = `results/${job.runId}`;
  const where = job.topology.gpus === 0 ? 'the CPU' : `${job.topology.gpus} GPU${job.topology.gpus > 1 ? 's' : ''}${job.topology.nodes > 1 ? ` on each of ${job.topology.nodes} machines` : ''}`;
  const model = job.model.folder ? `\`${job.model.folder}/\` (a copy of ${job.model.source})` : `\`${job.model.hubId}\` from the Hugging Face Hub${job.model.revision ? ` at ${job.model.revision}` : ''}`;
  return `# Training job ${job.runId}

Exported by Classifier Workbench (\`classifier-workbench export-job\`): the run the editor would train, as a
Hugging Face \`Trainer\` script launched with \`accelerate\` on ${where}. It writes a Classifier Workbench run folder
(\`${results}/\`) as it trains; bring that folder back and import it, and it is a run like any local one (Runs
tree, dashboard, confusion matrix, misclassified examples, hover, label issues).

| file | what |
|---|---|
| \`data/{train,validation,test}.jsonl\` | the splits, exactly as the local run uses them: \`text\`, \`label\` (or \`labels\`), and the source \`file\` and \`line\` of each example |
| \`labels.json\` | the label map (\`id2label\`, \`label2id\`) |
| \`job.json\` | the configuration, the loss's class weights, the dataset fingerprint |
| \`train.py\`, \`cw_run_folder.py\` | the training script and the run-folder writer it uses |
| \`requirements.txt\` | \`pip install -r requirements.txt\` |
| \`accelerate_config.yaml\`, \`run.sh\` | how many processes, machines; \`./run.sh\` = \`accelerate launch --config_file accelerate_config.yaml train.py\` |

Configuration: model ${model}, mode ${c.mode}, ${c.epochs} epochs, batch ${c.batchSize}${job.topology.processes > 1 ? ` (${c.batchSize / job.topology.processes} per process)` : ''} × accumulation ${c.gradientAccumulation},
learning rate ${c.learningRate} (linear warm-up over ${c.warmupRatio * 100}% of the steps, then linear decay), weight decay ${c.weightDecay}, gradient clipping ${c.maxGradNorm || 'off'},
early stopping ${c.patience ? `after ${c.patience} epochs without improvement` : 'off'}, seed ${c.seed}, max length ${c.maxLength}, ${job.problemType === 'multi_label_classification' ? 'multi-label (sigmoid, per-label thresholds tuned on validation)' : 'single-label'}, class weights ${job.objective.summary}${c.lora ? `, LoRA rank ${c.lora.rank} alpha ${c.lora.alpha} dropout ${c.lora.dropout} on ${c.lora.targets.join(', ')}` : ''}.

The result is the same configuration, not the same numbers: PyTorch's kernels, data order and dropout draws differ
from the engine's, as two PyTorch runs on different hardware differ.

## On this machine

\`\`\`sh
pip install -r requirements.txt
./run.sh
classifier-workbench runs import ${results}
\`\`\`

In VS Code, import it with **Import run folder…** (the Runs view's menu, or the command palette) instead of the last line.

## On a GPU host over SSH

\`\`\`sh
rsync -a ./ gpu-host:jobs/${job.runId}/
ssh gpu-host 'cd jobs/${job.runId} && pip install -r requirements.txt && ./run.sh'
rsync -a gpu-host:jobs/${job.runId}/${results}/ ${results}/ && classifier-workbench runs import ${results}
\`\`\`

Long runs: start it inside \`tmux\` or with \`nohup ./run.sh > train.log 2>&1 &\`; the run folder grows as it
trains (\`events.jsonl\`, \`metrics.json\` after each epoch), so an rsync while it runs shows progress.${job.topology.nodes > 1 ? `

Several machines: copy the folder to each, then on each run \`MACHINE_RANK=<0..${job.topology.nodes - 1}> MAIN_PROCESS_IP=<address of machine 0> ./run.sh\`;
machine 0 writes the run folder.` : ''}

## In a notebook (Colab, Kaggle, SageMaker, Jupyter on a GPU box)

Upload this folder (or \`git clone\`/unzip it), then in cells:

\`\`\`python
%cd ${job.runId}
!pip install -q -r requirements.txt
!python train.py            # one GPU; ./run.sh for several
\`\`\`

Download \`${results}/\` (zip it: \`!zip -qr result.zip ${results}\`) and run
\`classifier-workbench runs import\` (in VS Code, **Import run folder…**) on it, or drop the folder into the dataset's runs folder
(\`.classifier-workbench/runs/\` beside the data) and run the import there.

## Importing checks the data

\`runs import\` (and VS Code's **Import run folder…**) recomputes the dataset fingerprint from the data file on your machine and refuses results trained on
different data (a changed file, other options), naming both fingerprints.
`;
}
