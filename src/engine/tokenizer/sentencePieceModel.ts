// Reads a SentencePiece model file (`spm.model`, as microsoft/deberta-v3-* ship it without tokenizer.json): a
// protobuf `ModelProto`. Only the fields a Unigram tokenizer needs are decoded; the rest are skipped by wire type.
// The schema is sentencepiece's src/sentencepiece_model.proto:
//   ModelProto      1: repeated SentencePiece pieces, 2: TrainerSpec trainer_spec, 3: NormalizerSpec normalizer_spec
//   SentencePiece   1: string piece, 2: float score, 3: Type type (1 normal, 2 unknown, 3 control, 4 user defined,
//                   5 unused, 6 byte; default normal)
//   TrainerSpec     3: ModelType model_type (1 unigram — the default, 2 bpe, 3 word, 4 char), 35: bool byte_fallback,
//                   40: int32 unk_id (default 0)
//   NormalizerSpec  1: string name, 2: bytes precompiled_charsmap, 3: bool add_dummy_prefix (default true)
// A hand-written reader (a few dozen lines) instead of a protobuf dependency: the format is stable and the project
// has no protobuf library.
import { EngineError } from '../errors';
import { EngineErrorCodes } from '../../protocol/errors';

/** SentencePiece.Type values. */
export const PieceType = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

export interface SentencePiece {
  piece: string;
  /** Log probability of the piece (float32 in the file). */
  score: number;
  /** A `PieceType` value. */
  type: number;
}

export interface SentencePieceModel {
  pieces: SentencePiece[];
  /** 1 unigram, 2 bpe, 3 word, 4 char. */
  modelType: number;
  unkId: number;
  byteFallback: boolean;
  normalizerName: string;
  /** The normalizer's compiled character map (empty when the model has none, e.g. "identity"). */
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
}

/** The most pieces a model may have (real ones have up to ~260,000). */
const MAX_PIECES = 2_000_000;

class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array, private readonly end: number, private readonly fail: (what: string) => never) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) this.fail('a number runs past the end of its field');
      const b = this.bytes[this.pos++];
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
    }
    return this.fail('a number is longer than 10 bytes');
  }

  /** A varint field read as protobuf's int32 (negatives are 10-byte two's complement). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  /** The bounds of a length-delimited field's payload, advancing past it. */
  span(): [number, number] {
    const length = this.varint();
    if (length > BigInt(this.end - this.pos)) this.fail('a field is longer than what is left of the file');
    const start = this.pos;
    this.pos += Number(length);
    return [start, this.pos];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.span();
    else if (wire === 5) this.advance(4);
    else this.fail(`unknown protobuf wire type ${wire}`);
  }

  advance(n: number): void {
    if (this.pos + n > this.end) this.fail('a field runs past the end of the file');
    this.pos += n;
  }

  sub(start: number, end: number): Reader {
    return new Reader(this.bytes, end, this.fail).at(start);
  }

  private at(pos: number): this {
    this.pos = pos;
    return this;
  }

  /** Calls `onField(number, wire)` for each field; the callback reads the value or calls `skip(wire)`. */
  fields(onField: (field: number, wire: number) => void): void {
    while (!this.done) {
      const key = Number(this.varint() & 0xffffffffn);
      onField(key >>> 3, key & 7);
    }
  }
}

/**
 * Decodes a SentencePiece `ModelProto`.
 * @param bytes the file's contents
 * @param file named in errors
 * @throws EngineError(invalidModel) naming the file when it is not a well-formed model (truncated, a piece that
 *   is not UTF-8, no pieces, more than 2,000,000 pieces, an unk_id outside the pieces)
 */
export function readSentencePieceModel(bytes: Uint8Array, file: string): SentencePieceModel {
  const fail = (what: string): never => {
    throw new EngineError(EngineErrorCodes.invalidModel, `not a SentencePiece model: ${what}; re-download spm.model`, { file });
  };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const model: SentencePieceModel = {
    pieces: [], modelType: 1, unkId: 0, byteFallback: false, normalizerName: '', precompiledCharsmap: new Uint8Array(0), addDummyPrefix: true,
  };
  const top = new Reader(bytes, bytes.length, fail);
  const expectWire = (wire: number, want: number, field: string): void => {
    if (wire !== want) fail(`field ${field} has wire type ${wire}, expected ${want}`);
  };
  top.fields((field, wire) => {
    if (field === 1) {
      expectWire(wire, 2, 'pieces');
      if (model.pieces.length >= MAX_PIECES) fail(`more than ${MAX_PIECES} pieces`);
      const piece: SentencePiece = { piece: '', score: 0, type: PieceType.normal };
      const r = top.sub(...top.span());
      r.fields((f, w) => {
        if (f === 1 && w === 2) {
          const [a, b] = r.span();
          try {
            piece.piece = utf8.decode(bytes.subarray(a, b));
          } catch {
            fail(`piece ${model.pieces.length} is not UTF-8`);
          }
        } else if (f === 2 && w === 5) {
          const at = r.pos;
          r.advance(4);
          piece.score = view.getFloat32(at, true);
        } else if (f === 3 && w === 0) piece.type = r.int32();
        else r.skip(w);
      });
      model.pieces.push(piece);
    } else if (field === 2) {
      expectWire(wire, 2, 'trainer_spec');
      const r = top.sub(...top.span());
      r.fields((f, w) => {
        if (f === 3 && w === 0) model.modelType = r.int32();
        else if (f === 35 && w === 0) model.byteFallback = r.varint() !== 0n;
        else if (f === 40 && w === 0) model.unkId = r.int32();
        else r.skip(w);
      });
    } else if (field === 3) {
      expectWire(wire, 2, 'normalizer_spec');
      const r = top.sub(...top.span());
      r.fields((f, w) => {
        if (f === 1 && w === 2) {
          const [a, b] = r.span();
          model.normalizerName = new TextDecoder().decode(bytes.subarray(a, b));
        } else if (f === 2 && w === 2) {
          const [a, b] = r.span();
          model.precompiledCharsmap = bytes.slice(a, b);
        } else if (f === 3 && w === 0) model.addDummyPrefix = r.varint() !== 0n;
        else r.skip(w);
      });
    } else top.skip(wire);
  });
  if (model.pieces.length === 0) fail('it has no pieces');
  if (model.unkId < 0 || model.unkId >= model.pieces.length) fail(`unk_id ${model.unkId} is not one of its ${model.pieces.length} pieces`);
  return model;
}
