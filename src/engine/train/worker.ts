// Training worker thread (bundled to dist/trainWorker.js): one tfjs backend computing gradients and inference
// for its shards, reading parameters from and writing gradients to buffers shared with the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend/selectBackend';
import { enableNativeMatMul } from '../backend/nativeMatMul';
import { BertCompute, jsEmbeddings } from '../models/bert/bertCompute';
import { ParamStore } from '../models/nn/paramStore';
import { workerConfig, type WorkerInit, type WorkerReply, type WorkerRequest } from '../models/bert/gradientRunner';

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort!;
  const backend = await selectBackend(init.backend === 'tensorflow' || init.backend === 'tensorflow-gpu' ? 'auto' : init.backend);
  if (backend.name === 'wasm') enableNativeMatMul(init.nativeThreads);
  const cfg = workerConfig(init);
  const store = new ParamStore(init.specs, init.params);
  let grads: Float32Array = new Float32Array(store.size);
  const trainable = new Set(init.trainable);
  // The embedding tables' gradients are scattered by the main thread, so this buffer never holds any there.
  const trainableSpecs = store.specs.filter((s) => trainable.has(s.name) && !jsEmbeddings.has(s.name));
  const compute = new BertCompute(cfg, store, { trainable, lora: init.lora, layerwise: init.layerwise, keptProductTokens: init.keptProductTokens });
  let trainableVersion = 0;
  let allVersion = 0;
  const reply = (r: WorkerReply): void => port.postMessage(r, r.kind === 'gradients' ? [r.grads.buffer as ArrayBuffer] : []);
  port.on('message', (req: WorkerRequest) => {
    try {
      if (req.allVersion !== allVersion) {
        compute.invalidateAll();
        allVersion = req.allVersion;
        trainableVersion = req.trainableVersion;
      } else if (req.trainableVersion !== trainableVersion) {
        compute.invalidateTrainable();
        trainableVersion = req.trainableVersion;
      }
      if (req.kind === 'gradients') {
        // The gradient buffer travels to the main thread and back (transferred, not copied).
        if (req.grads) grads = req.grads;
        else if (grads.length === 0) grads = new Float32Array(store.size);
        for (const s of trainableSpecs) grads.fill(0, s.offset, s.offset + s.size);
        let loss = 0;
        const dEmbs: (Float32Array | undefined)[] = [];
        for (const s of req.shards) {
          const r = compute.lossAndGrads(s, s, s.dropoutSeed, grads);
          loss += r.loss;
          dEmbs.push(r.dEmb);
        }
        const out = grads;
        grads = new Float32Array(0);
        reply({ kind: 'gradients', loss, grads: out, dEmbs });
      } else {
        const outputs = req.batches.map((b) => (req.what === 'logits' ? compute.logits(b) : compute.pooled(b)));
        reply({ kind: 'infer', outputs });
      }
    } catch (err) {
      reply({ kind: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  reply({ kind: 'ready' });
}

main().catch((err) => parentPort?.postMessage({ kind: 'error', message: String(err) } satisfies WorkerReply));
