/**
 * Entry of the engine process (bundled to dist/engine.js): a JSON-RPC server on stdio, or, when started as a
 * worker thread by that server, a training / label-issue worker. Console output goes to stderr before anything loads.
 */
import './redirectConsole';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { engineLibrary } from './libraryBinding';
import { startServer } from './startServer';
import { readServerOptions } from './serverOptions';
import { runWorkerJob, workerRole, type WorkerData } from './workerJob';

if (!isMainThread && (workerData as Partial<WorkerData> | undefined)?.role === workerRole) {
  void runWorkerJob(workerData as WorkerData, parentPort!, engineLibrary);
} else if (isMainThread) {
  startServer(engineLibrary, readServerOptions(process.argv));
}
