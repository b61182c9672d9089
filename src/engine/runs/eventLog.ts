// events.jsonl: the append-only log of everything a run emitted (progress, epochs, states, logs, test).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainEvent } from '../../protocol/train';
import { withPath } from '../fileSystemError';

/** Appends events as JSON lines, each with a timestamp. Synchronous so lines keep their order and survive a kill. */
export class EventLog {
  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  append(event: TrainEvent): void {
    try {
      appendFileSync(this.file, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
    } catch (error) {
      throw withPath(error, this.file);
    }
  }
}
