// A pickle reader that never executes anything: it interprets the opcodes a PyTorch state dict uses and builds
// plain JS values, and refuses every other opcode and every global outside a caller-given allow-list, naming it.
// Python's own pickle resolves any `module.name` global and calls it (REDUCE), which is how a hostile
// `pytorch_model.bin` runs code; here a global is only a name, and "calling" one runs the caller's JS function
// registered for exactly that name. Opcode semantics follow CPython's Lib/pickle.py (protocols 0–5).

/** A `module.qualname` global the pickle named; callable only through the allow-list. */
export class PickleGlobal {
  constructor(readonly name: string) {}
}

/** A Python tuple (kept apart from lists only for readability of rebuilt values). */
export type PickleValue = unknown;

/** What the reader may do with an allowed global. */
export interface AllowedGlobal {
  /** Present when the pickle may call it (REDUCE/NEWOBJ); receives the argument tuple. */
  call?: (args: PickleValue[]) => PickleValue;
}

export interface UnpickleOptions {
  /** Allowed globals by `module.qualname`; any other global is refused. */
  globals: ReadonlyMap<string, AllowedGlobal>;
  /** Resolves a persistent id (BINPERSID), e.g. torch's `('storage', type, key, location, numel)`. */
  persistentLoad?: (pid: PickleValue) => PickleValue;
  /** BUILD (set state) is accepted only on objects this returns true for; the state is then ignored. */
  acceptBuild?: (target: PickleValue, state: PickleValue) => boolean;
}

/** Thrown for anything the reader refuses or cannot parse; `message` says what and where. */
export class PickleRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleRefused';
  }
}

const OPCODE_NAMES: Record<number, string> = {
  0x63: 'GLOBAL', 0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x50: 'PERSID', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x62: 'BUILD',
};

/**
 * Reads one pickle from `bytes` starting at `start`.
 * @returns the unpickled value and the offset just after its STOP opcode
 * @throws PickleRefused naming the refused global or opcode (and its byte offset), or the truncation
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions, start = 0): { value: PickleValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pos = start;

  const need = (n: number): void => {
    if (pos + n > bytes.length) throw new PickleRefused(`the pickle ends early at byte ${bytes.length} (truncated file)`);
  };
  const u8 = (): number => { need(1); return bytes[pos++]; };
  const u16 = (): number => { need(2); const v = view.getUint16(pos, true); pos += 2; return v; };
  const i32 = (): number => { need(4); const v = view.getInt32(pos, true); pos += 4; return v; };
  const u32 = (): number => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleRefused(`a length of ${v} bytes at byte ${pos - 8} is not plausible`);
    return Number(v);
  };
  const take = (n: number): Uint8Array => { need(n); const b = bytes.subarray(pos, pos + n); pos += n; return b; };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new PickleRefused(`the pickle ends early at byte ${bytes.length} (truncated file)`);
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const text = (b: Uint8Array): string => {
    try {
      return decoder.decode(b);
    } catch {
      throw new PickleRefused(`invalid UTF-8 string at byte ${pos - b.length}`);
    }
  };
  const pop = (): PickleValue => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1])) throw new PickleRefused(`stack underflow at byte ${pos - 1} (corrupt pickle)`);
    return stack.pop();
  };
  const top = (): PickleValue => {
    if (stack.length === 0) throw new PickleRefused(`stack underflow at byte ${pos - 1} (corrupt pickle)`);
    return stack[stack.length - 1];
  };
  const popMark = (): PickleValue[] => {
    const m = marks.pop();
    if (m === undefined) throw new PickleRefused(`no MARK before byte ${pos - 1} (corrupt pickle)`);
    return stack.splice(m);
  };
  const resolveGlobal = (module: string, name: string, at: number): PickleGlobal => {
    const full = `${module}.${name}`;
    if (!options.globals.has(full)) {
      throw new PickleRefused(`refused global "${full}" at byte ${at}: a weights file needs only tensor-rebuilding globals, and this one could run code`);
    }
    return new PickleGlobal(full);
  };
  const call = (fn: PickleValue, args: PickleValue, at: number): PickleValue => {
    if (!(fn instanceof PickleGlobal)) throw new PickleRefused(`REDUCE at byte ${at} calls something that is not a global (corrupt pickle)`);
    const impl = options.globals.get(fn.name)?.call;
    if (!impl) throw new PickleRefused(`refused call of "${fn.name}" at byte ${at}: it is allowed only as a type name`);
    if (!Array.isArray(args)) throw new PickleRefused(`REDUCE at byte ${at} has no argument tuple (corrupt pickle)`);
    return impl(args);
  };
  const setItems = (target: PickleValue, items: PickleValue[], at: number): void => {
    if (!(target instanceof Map)) throw new PickleRefused(`SETITEM(S) at byte ${at} on something that is not a dict (corrupt pickle)`);
    for (let i = 0; i + 1 < items.length; i += 2) target.set(items[i], items[i + 1]);
  };
  const appendItems = (target: PickleValue, items: PickleValue[], at: number): void => {
    if (!Array.isArray(target)) throw new PickleRefused(`APPEND(S) at byte ${at} on something that is not a list (corrupt pickle)`);
    target.push(...items);
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const proto = u8();
        if (proto > 5) throw new PickleRefused(`pickle protocol ${proto} is newer than 5`);
        break;
      }
      case 0x95: u64(); break; // FRAME: framing only
      case 0x2e: return { value: pop(), end: pos }; // STOP
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x49: { // INT (protocol 0), also 01/00 for booleans
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x4c: stack.push(Number.parseInt(line().replace(/L$/, ''), 10)); break; // LONG (protocol 0)
      case 0x8a: case 0x8b: { // LONG1, LONG4: little-endian two's complement
        const n = op === 0x8a ? u8() : u32();
        const b = take(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: { need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT (big-endian)
      case 0x46: stack.push(Number.parseFloat(line())); break; // FLOAT
      case 0x58: stack.push(text(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(text(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(text(take(u64()))); break; // BINUNICODE8
      case 0x54: stack.push(new TextDecoder('latin1').decode(take(i32()))); break; // BINSTRING
      case 0x55: stack.push(new TextDecoder('latin1').decode(take(u8()))); break; // SHORT_BINSTRING
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); appendItems(top(), [v], at); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items, at); break; } // APPENDS
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { const items = popMark(); const d = new Map(); setItems(d, items, at); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v], at); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items, at); break; } // SETITEMS
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number.parseInt(line(), 10), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: case 0x67: { // BINGET, LONG_BINGET, GET
        const key = op === 0x68 ? u8() : op === 0x6a ? u32() : Number.parseInt(line(), 10);
        if (!memo.has(key)) throw new PickleRefused(`memo entry ${key} read at byte ${at} was never stored (corrupt pickle)`);
        stack.push(memo.get(key));
        break;
      }
      case 0x63: { // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(resolveGlobal(module, name, at));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleRefused(`STACK_GLOBAL at byte ${at} without names (corrupt pickle)`);
        stack.push(resolveGlobal(module, name, at));
        break;
      }
      case 0x52: { const args = pop(); const fn = pop(); stack.push(call(fn, args, at)); break; } // REDUCE
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) throw new PickleRefused(`persistent id at byte ${at} where none is expected`);
        stack.push(options.persistentLoad(pid));
        break;
      }
      case 0x62: { // BUILD: only where the caller says the state is inert (e.g. a state dict's _metadata)
        const state = pop();
        const target = top();
        if (!options.acceptBuild?.(target, state)) {
          const what = target instanceof PickleGlobal ? `"${target.name}"` : typeof target;
          throw new PickleRefused(`refused BUILD (setting object state) on ${what} at byte ${at}: a state dict never needs it`);
        }
        break;
      }
      default: {
        const name = OPCODE_NAMES[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
        throw new PickleRefused(`refused pickle opcode ${name} at byte ${at}: a weights file does not use it`);
      }
    }
  }
}
