// A small LRU of predictions keyed by (model, text): hovering the same line twice must not ask the engine again.
import type { TextPrediction } from '../../protocol/model';

export class PredictionCache {
  private readonly entries = new Map<string, TextPrediction>();

  constructor(private readonly capacity = 2000) {}

  get(model: string, text: string): TextPrediction | undefined {
    const key = cacheKey(model, text);
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(model: string, text: string, prediction: TextPrediction): void {
    const key = cacheKey(model, text);
    this.entries.delete(key);
    this.entries.set(key, prediction);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function cacheKey(model: string, text: string): string {
  return `${model}\u0000${text}`;
}
