"""An independent Unigram (SentencePiece) tokenizer with the semantics of Hugging Face's fast DeBERTa-v2/v3 tokenizer
(`tokenizers`' Unigram model as `DebertaV2Converter` assembles it from `spm.model`), and the generator of the tiny
Unigram fixtures. Python `sentencepiece`, `tokenizers` and `protobuf` are not installed here, so the protobuf
reader/writer, the normalizer, the Metaspace split and the Viterbi segmentation are written out by hand below.

Run with /usr/bin/python3 (no third-party module needed). Commands (JSON on stdin/stdout where data flows):
    make OUT --texts FILE [FILE ...] [--pieces N]
        spm.model (a SentencePiece ModelProto: [PAD] [CLS] [SEP] control pieces, [UNK], then N pieces with
        log-frequency scores counted from the texts), the tokenizer.json DebertaV2TokenizerFast would save for it,
        tokenizer_config.json and special_tokens_map.json
    tokenize DIR [--spm] [--max-length L]   stdin: ["text", ...] -> [[ids], ...] ([CLS] ... [SEP], truncated)

What it follows (tokenizers 0.19+, transformers' convert_slow_tokenizer.DebertaV2Converter):
  normalizer   [Lowercase if do_lower_case], Strip (Unicode White_Space, as Rust's char::is_whitespace),
               [Precompiled charsmap: not implemented here, refused], Replace(" {2,}" -> " ")
  pre-tokenizer  Metaspace(replacement "▁", prepend_scheme "always", split): spaces become "▁", a "▁" is put in
               front unless there is one, and the text is split before every "▁"
  model        Viterbi over the pieces' scores; a character no piece starts with is [UNK] scored
               min(score) - 10; consecutive [UNK]s of one word fuse into one; among equal scores the path whose
               last piece starts earliest wins (the order tokenizers' lattice visits them)
  special tokens  the control pieces and [MASK] (appended after the pieces) are matched in the raw text first
  template     [CLS] A [SEP]; truncation keeps [CLS] and [SEP]
"""
import argparse
import collections
import json
import math
import os
import struct
import sys

SPACE = "\u2581"
UNK_PENALTY = 10.0
# Unicode White_Space (Rust's char::is_whitespace), which tokenizers' Strip uses.
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}

# ------------------------------------------------------------------------------------------- protobuf by hand
# sentencepiece_model.proto: ModelProto{1: repeated SentencePiece pieces, 2: TrainerSpec, 3: NormalizerSpec};
# SentencePiece{1: piece, 2: score (float), 3: type (1 normal, 2 unknown, 3 control, 4 user defined, 5 unused,
# 6 byte)}; TrainerSpec{3: model_type (1 unigram), 35: byte_fallback, 40: unk_id, 41: bos_id, 42: eos_id,
# 43: pad_id}; NormalizerSpec{1: name, 2: precompiled_charsmap, 3: add_dummy_prefix, 4: remove_extra_whitespaces}.


def _varint(n):
    n &= (1 << 64) - 1  # negative int32 are written as 10-byte two's complement varints
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number, wire, payload):
    key = _varint(number << 3 | wire)
    if wire == 0:
        return key + _varint(payload)
    if wire == 5:
        return key + struct.pack("<f", payload)
    return key + _varint(len(payload)) + payload


def write_model_proto(path, pieces, trainer, normalizer):
    """pieces: [(piece, score, type)]; trainer/normalizer: {field number: value} (ints, bools, bytes, str)."""
    def message(fields):
        out = b""
        for number, value in fields.items():
            if isinstance(value, (bytes, str)):
                out += _field(number, 2, value.encode() if isinstance(value, str) else value)
            else:
                out += _field(number, 0, int(value))
        return out
    out = b"".join(_field(1, 2, _field(1, 2, p.encode()) + _field(2, 5, s) + _field(3, 0, t)) for p, s, t in pieces)
    out += _field(2, 2, message(trainer)) + _field(3, 2, message(normalizer))
    with open(path, "wb") as f:
        f.write(out)


def _read_varint(data, i):
    n, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return n, i


def _fields(data):
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 2:
            n, i = _read_varint(data, i)
            value, i = data[i:i + n], i + n
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise SystemExit(f"unsupported protobuf wire type {wire}")
        yield number, value


def _int32(v):
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def read_model_proto(path):
    data = open(path, "rb").read()
    pieces, trainer, normalizer = [], {3: 1, 40: 0, 41: 1, 42: 2, 43: -1, 35: 0}, {}
    for number, value in _fields(data):
        if number == 1:
            p = {1: b"", 2: b"\0\0\0\0", 3: 1}
            p.update(dict(_fields(value)))
            pieces.append((p[1].decode(), struct.unpack("<f", p[2])[0], p[3]))
        elif number == 2:
            trainer.update({k: _int32(v) for k, v in _fields(value) if k in (3, 35, 40, 41, 42, 43)})
        elif number == 3:
            normalizer.update(dict(_fields(value)))
    return pieces, trainer, normalizer

# ------------------------------------------------------------------------------------------------- tokenizer


class Unigram:
    def __init__(self, pieces, unk_id, specials, lower=False, charsmap=False):
        """pieces: [(piece, score)] in id order; specials: {content: id} matched in the raw text."""
        if charsmap:
            raise SystemExit("a Precompiled charsmap is not implemented in this reference")
        self.ids = {}
        for i, (p, _) in enumerate(pieces):
            self.ids.setdefault(p, i)
        self.scores = [s for _, s in pieces]
        self.unk_id, self.specials, self.lower = unk_id, specials, lower
        self.unk_score = min(self.scores) - UNK_PENALTY
        self.scores[unk_id] = self.unk_score
        self.longest = max(len(p) for p, _ in pieces)

    @classmethod
    def from_tokenizer_json(cls, path):
        tj = json.load(open(path, encoding="utf-8"))
        model = tj["model"]
        assert model["type"] == "Unigram" and not model.get("byte_fallback")
        norms = tj["normalizer"]["normalizers"] if tj["normalizer"]["type"] == "Sequence" else [tj["normalizer"]]
        kinds = [n["type"] for n in norms]
        assert set(kinds) <= {"Lowercase", "Strip", "Replace", "Precompiled"}, kinds
        specials = {t["content"]: t["id"] for t in tj["added_tokens"]}
        return cls([(p, s) for p, s in model["vocab"]], model["unk_id"], specials, "Lowercase" in kinds, "Precompiled" in kinds)

    @classmethod
    def from_spm(cls, folder):
        pieces, trainer, normalizer = read_model_proto(os.path.join(folder, "spm.model"))
        assert trainer[3] == 1, "not a unigram model"
        config = json.load(open(os.path.join(folder, "tokenizer_config.json")))
        specials = {p: i for i, (p, _, t) in enumerate(pieces) if t in (3, 4)}
        ids = {p: i for i, (p, _, _) in reversed(list(enumerate(pieces)))}
        for key, default in (("unk_token", "[UNK]"), ("cls_token", "[CLS]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"), ("mask_token", "[MASK]")):
            token = config.get(key, default)
            # DebertaV2Tokenizer adds the special tokens that are not pieces ([MASK]) after the pieces
            specials.setdefault(token, ids.get(token, len(pieces) + sum(1 for v in specials.values() if v >= len(pieces))))
        return cls([(p, s) for p, s, _ in pieces], trainer[40], specials, config.get("do_lower_case", False), bool(normalizer.get(2)))

    def normalize(self, text):
        if self.lower:
            text = text.lower()
        a, b = 0, len(text)
        while a < b and text[a] in WHITE_SPACE:
            a += 1
        while b > a and text[b - 1] in WHITE_SPACE:
            b -= 1
        out = []
        for ch in text[a:b]:
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
        return "".join(out)

    def words(self, text):
        """Metaspace: spaces to ▁, a leading ▁, split before each ▁."""
        text = text.replace(" ", SPACE)
        if not text.startswith(SPACE):
            text = SPACE + text
        words, start = [], 0
        for i in range(1, len(text) + 1):
            if i == len(text) or text[i] == SPACE:
                words.append(text[start:i])
                start = i
        return [w for w in words if w]

    def viterbi(self, word):
        n = len(word)
        best = [-math.inf] * (n + 1)
        back = [None] * (n + 1)
        best[0] = 0.0
        for end in range(1, n + 1):
            for start in range(max(0, end - self.longest), end):
                if best[start] == -math.inf:
                    continue
                piece = word[start:end]
                pid = self.ids.get(piece)
                if pid is None and end - start == 1:
                    pid = self.unk_id  # a character no piece covers
                    score = self.unk_score
                elif pid is None:
                    continue
                else:
                    score = self.scores[pid]
                    if end - start == 1 and pid == self.unk_id:
                        score = self.unk_score
                if best[start] + score > best[end]:
                    best[end], back[end] = best[start] + score, (start, pid)
        ids, end = [], n
        while end > 0:
            start, pid = back[end]
            ids.append(pid)
            end = start
        ids.reverse()
        fused = []
        for pid in ids:
            if pid == self.unk_id and fused and fused[-1] == self.unk_id:
                continue
            fused.append(pid)
        return fused

    def split_specials(self, text):
        """Runs of plain text and special-token ids, the longest special matched first at each position."""
        out, i, start = [], 0, 0
        names = sorted(self.specials, key=len, reverse=True)
        while i < len(text):
            hit = next((s for s in names if text.startswith(s, i)), None)
            if hit:
                out.append(text[start:i])
                out.append(self.specials[hit])
                i += len(hit)
                start = i
            else:
                i += 1
        out.append(text[start:])
        return out

    def content_ids(self, text):
        ids = []
        for part in self.split_specials(text):
            if isinstance(part, int):
                ids.append(part)
                continue
            norm = self.normalize(part)
            if not norm:
                continue
            for word in self.words(norm):
                ids.extend(self.viterbi(word))
        return ids

    def encode(self, text, max_length=128):
        ids = self.content_ids(text)[:max_length - 2]
        return [self.specials["[CLS]"]] + ids + [self.specials["[SEP]"]]


def load(folder, spm=False):
    if spm or not os.path.exists(os.path.join(folder, "tokenizer.json")):
        return Unigram.from_spm(folder)
    return Unigram.from_tokenizer_json(os.path.join(folder, "tokenizer.json"))

# ----------------------------------------------------------------------------------------- fixture generator


def read_texts(paths, n):
    out = []
    for path in paths:
        for k, line in enumerate(open(path, encoding="utf-8")):
            if k >= n:
                break
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


# Left out of the pieces on purpose, so the fixture exercises [UNK] and its fusing ("££" is one [UNK]).
LEFT_OUT = set("£€#&")


def count_pieces(texts, size):
    """A hand-made Unigram vocabulary: every character seen (but LEFT_OUT), "▁", and the `size` most frequent
    substrings (2..8 characters) of the "▁word" forms, scored by log relative frequency."""
    words = collections.Counter()
    for t in texts:
        for w in t.split():
            words[SPACE + w] += 1
    chars, subs = collections.Counter(), collections.Counter()
    for w, c in words.items():
        for ch in w:
            chars[ch] += c
        for a in range(len(w)):
            for b in range(a + 2, min(len(w), a + 8) + 1):
                subs[w[a:b]] += c
    chars = {ch: c for ch, c in chars.items() if ch not in LEFT_OUT}
    top = [(s, c) for s, c in subs.most_common() if not (set(s) & LEFT_OUT)][:size]
    total = sum(chars.values()) + sum(c for _, c in top)
    scored = [(s, math.log(c / total)) for s, c in top] + [(ch, math.log(c / total)) for ch, c in chars.items()]
    # Rounded through float32 (as spm.model stores them), so tokenizer.json and spm.model carry equal scores.
    scored = [(s, struct.unpack("<f", struct.pack("<f", v))[0]) for s, v in scored]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored


def cmd_make(a):
    os.makedirs(a.out, exist_ok=True)
    scored = count_pieces(read_texts(a.texts, 3000), a.pieces)
    specials = [("[PAD]", 0.0, 3), ("[CLS]", 0.0, 3), ("[SEP]", 0.0, 3), ("[UNK]", 0.0, 2)]
    pieces = specials + [(p, s, 1) for p, s in scored]
    write_model_proto(os.path.join(a.out, "spm.model"), pieces,
                      {3: 1, 4: len(pieces), 40: 3, 41: 1, 42: 2, 43: 0},
                      {1: "identity", 3: 1, 4: 1, 5: 1})
    mask = len(pieces)
    added = [{"id": i, "content": p, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
             for i, (p, _, _) in enumerate(specials)]
    added.append({"id": mask, "content": "[MASK]", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True})
    metaspace = {"type": "Metaspace", "replacement": SPACE, "prepend_scheme": "always", "split": True}
    template = lambda seq: [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}] + seq
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "Strip", "strip_left": True, "strip_right": True},
                                                           {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [metaspace]},
        "post_processor": {"type": "TemplateProcessing",
                           "single": template([{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}]),
                           "pair": template([{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                                             {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}]),
                           "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                                              "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}},
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": 3, "vocab": [[p, s] for p, s, _ in pieces], "byte_fallback": False},
    }
    with open(os.path.join(a.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    special_map = {"bos_token": "[CLS]", "eos_token": "[SEP]", "unk_token": "[UNK]", "sep_token": "[SEP]",
                   "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
    with open(os.path.join(a.out, "special_tokens_map.json"), "w") as f:
        json.dump(special_map, f, indent=2)
    with open(os.path.join(a.out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "DebertaV2Tokenizer", "do_lower_case": False, "vocab_type": "spm",
                   "split_by_punct": False, "model_max_length": a.max_length, **special_map}, f, indent=2)
    return mask + 1


def cmd_tokenize(a):
    tok = load(a.dir, a.spm)
    print(json.dumps([tok.encode(t, a.max_length) for t in json.load(sys.stdin)]))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    m.add_argument("--texts", nargs="+", required=True)
    m.add_argument("--pieces", type=int, default=1500)
    m.add_argument("--max-length", type=int, default=128)
    t = sub.add_parser("tokenize")
    t.add_argument("dir")
    t.add_argument("--spm", action="store_true")
    t.add_argument("--max-length", type=int, default=128)
    a = p.parse_args()
    {"make": cmd_make, "tokenize": cmd_tokenize}[a.cmd](a)


if __name__ == "__main__":
    main()
