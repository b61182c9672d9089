// `classifier-workbench models [ID|DIR]`: list the models in the local Hugging Face cache, or fetch and check one
// (a folder, a cached id, or a Hub download honouring HF_ENDPOINT, with progress on stderr).
import { terminalText } from './terminalText';
import { resolve } from 'node:path';
import type { CliCommand } from './cliCommand';
import { ExitCodes } from './exitCodes';
import { formatTable } from './formatTable';
import { listCachedModels, readConfigLabels, readHeadInfo, readSafetensorsHeader, resolveModel, validateModelFolder, type HeadInfo } from '../index';
import { hubCacheDir } from '../../common/hubCacheDir';
import { checkEncoderConfig, readPytorchBin } from '../index';
import { recommendedModels } from '../../protocol/recommendedModels';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List cached Hugging Face models, or download and check one (id or folder)',
  description: [
    'With --recommended: the curated base models for classification and whether each is usable as published.',
    'Without an argument: the models in the local Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub or',
    '~/.cache/huggingface/hub) with revision and size. With a Hub id: downloads config.json, model.safetensors and',
    'the tokenizer files into that cache (resumable; honours HF_ENDPOINT and HF_TOKEN) unless already there.',
    'With a folder: checks that it holds a loadable model. Prints the folder to use.',
  ].join('\n'),
  positionals: [{ name: 'id-or-folder', description: 'a Hub id (org/name) or a model folder', optional: true }],
  options: [
    { name: 'revision', type: 'string', valueName: 'REV', description: 'Hub branch, tag or commit (default main)' },
    { name: 'offline', type: 'boolean', description: 'Use only the local cache (also when HF_HUB_OFFLINE=1)' },
    { name: 'update', type: 'boolean', description: 'Check the Hub for a newer commit even when the model is cached' },
    { name: 'recommended', type: 'boolean', description: 'List the curated base models for classification: family, size, languages, usable' },
  ],
  async run(args, context) {
    const target = args.positionals[0];
    if (args.options.recommended === true) {
      if (context.json) {
        context.stdout(`${JSON.stringify({ models: recommendedModels }, null, 2)}\n`);
        return ExitCodes.ok;
      }
      const rows = recommendedModels.map((m) => [
        m.id, m.family, `${m.parametersM}M`, `≈${m.downloadMB >= 1000 ? `${(m.downloadMB / 1000).toFixed(1)} GB` : `${m.downloadMB} MB`}`, m.languages,
        m.usable ? 'yes' : `no: ${m.notUsableBecause}`,
      ]);
      context.stdout(`${formatTable(['id', 'family', 'parameters', 'download', 'languages', 'usable'], rows, [2, 3])}\n` +
        'Download: float32 weights, 4 bytes a parameter. Train one with: classifier-workbench train data.jsonl --model <id>\n');
      return ExitCodes.ok;
    }
    if (target === undefined) {
      const cacheDir = hubCacheDir();
      const models = await listCachedModels(cacheDir);
      if (context.json) {
        context.stdout(`${JSON.stringify({ cacheDir, models }, null, 2)}\n`);
        return ExitCodes.ok;
      }
      if (models.length === 0) {
        context.stdout(`No models in ${cacheDir}.\n`);
        return ExitCodes.ok;
      }
      const rows = models.map((m) => [m.id, m.revision.length === 40 ? m.revision.slice(0, 10) : m.revision, formatBytes(m.sizeBytes), m.hasSafetensors ? 'yes' : m.hasWeights ? 'yes (pytorch_model.bin)' : 'no (no weights)']);
      context.stdout(`Models in ${cacheDir}:\n${formatTable(['id', 'revision', 'size', 'usable'], rows, [2])}\n`);
      return ExitCodes.ok;
    }
    const revision = typeof args.options.revision === 'string' ? args.options.revision : undefined;
    const tty = process.stderr.isTTY === true;
    let lastShown = -1;
    const looksLocal = target.startsWith('.') || target.startsWith('/') || target.includes('\\');
    const resolved = await resolveModel(looksLocal ? resolve(context.cwd, target) : target, {
      revision,
      checkConfig: checkEncoderConfig,
      signal: context.signal,
      offline: args.options.offline === true ? true : undefined,
      refresh: args.options.update === true,
      onProgress: context.json ? undefined : (p) => {
        const percent = p.totalBytes > 0 ? Math.floor((100 * p.doneBytes) / p.totalBytes) : 0;
        if (!tty && percent < lastShown + 10 && percent < 100) return;
        lastShown = percent;
        const line = `downloading ${terminalText(target)}: ${String(percent).padStart(3)}% ${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)} (${terminalText(p.file)})`;
        // On a terminal the line redraws itself (CR, erase to end of line): written directly, as the training
        // progress bar is, since everything through context.stderr has its control characters made visible.
        if (tty) process.stderr.write(`\r${line}\u001b[K`);
        else context.stderr(`${line}\n`);
      },
    });
    if (tty && lastShown >= 0) context.stderr('\n');
    const folder = await validateModelFolder(resolved.dir);
    const head = await readHeadInfo(await readConfigLabels(resolved.dir), folder.weightFiles, async (file) => (folder.weightFormat === 'pytorch' ? readPytorchBin(file) : (await readSafetensorsHeader(file)).tensors));
    const summary = { ...resolved, weightFiles: folder.weightFiles, tokenizer: folder.tokenizer, modelType: folder.config.model_type ?? null, head };
    if (context.json) context.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      context.stdout([
        `${resolved.id} (${resolved.source === 'hub' ? 'downloaded' : resolved.source === 'cache' ? 'from the local cache' : 'local folder'})`,
        `  folder:    ${resolved.dir}`,
        `  type:      ${String(folder.config.model_type ?? 'unknown')}`,
        `  weights:   ${folder.weightFiles.length} ${folder.weightFormat === 'pytorch' ? 'PyTorch .bin' : 'safetensors'} file${folder.weightFiles.length === 1 ? '' : 's'}`,
        `  tokenizer: ${folder.tokenizer}`,
        `  head:      ${describeHead(head)}`,
        '',
      ].join('\n'));
    }
    return ExitCodes.ok;
  },
};

/** The head line of `models <folder>`: what prediction and fine-tuning will do with it. */
function describeHead(head: HeadInfo): string {
  if (!head.hasHead) return `missing (no "${head.tensor}"): a base model — fine-tune it before predicting; predict and eval refuse it`;
  if (head.labels.length !== head.rows) return `wrong shape: ${head.rows} rows but id2label names ${head.labels.length} labels — predict and eval refuse it`;
  const names = head.placeholder ? `unnamed (${head.labels.slice(0, 3).join(', ')}${head.rows! > 3 ? ', …' : ''}: no id2label)` : head.labels.slice(0, 8).join(', ') + (head.labels.length > 8 ? ', …' : '');
  return `trained for ${head.rows} labels: ${names}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
