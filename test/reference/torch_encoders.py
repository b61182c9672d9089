"""An independent PyTorch implementation of the RoBERTa (also XLM-R, CamemBERT) and ELECTRA sequence classifiers
with Hugging Face semantics, and of the byte-level BPE tokenizer RoBERTa uses: the yardstick the engine's families
are checked against (Python `transformers` cannot be installed here). Written from the semantics of
transformers' modeling_roberta.py / modeling_electra.py and GPT-2's byte-level BPE; tensor names are HF's, so
folders written here load in `AutoModelForSequenceClassification` and the other way round.

Run with Debian's /usr/bin/python3 (python3-torch). Commands (JSON on stdin/stdout where data flows):
    make FAMILY OUT --texts FILE [--merges N] [--seed S] [--layers L] [--hidden H] [--heads A] [--intermediate I]
         [--vocab-size V] [--max-length N] [--embedding E] [--dropout P] [--labels a,b,...]
        a random-weight tiny checkpoint (a head only with --labels) with real-format tokenizer files trained on FILE's texts: for
        RoBERTa tokenizer.json, vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json; for
        ELECTRA vocab.txt and tokenizer_config.json (BERT's WordPiece)
    tokenize DIR [--vocab-files]    stdin: ["text", ...] -> [[ids], ...] (from tokenizer.json, or vocab.json+merges.txt)
    logits DIR                      stdin: ["text", ...] -> [[logits], ...] (eval mode, one text at a time)
    to-bin DIR OUT                  the folder with its weights as pytorch_model.bin (torch.save of the state dict)
    golden DIR --texts FILE --n N   token ids, logits and CLS hidden states of the first N texts, JSON lines
    train DIR                       stdin: {"batches": [[ids...]...], "labels": [[...]...], "lr", "weight_decay",
                                    "warmup", "total", "max_grad_norm"} -> {"losses": [...], "seconds": training loop time}
                                    (TORCH_THREADS sets torch's threads, default 1)
"""
import argparse
import collections
import json
import math
import os
import struct
import sys
import time
import unicodedata

import torch
from torch import nn

# BERT's WordPiece (ELECTRA's tokenizer) from the shared reference beside the repository.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference"))
from torch_bert import WordPiece  # noqa: E402

# ---------------------------------------------------------------------------------------------- byte-level BPE


def bytes_to_unicode():
    """GPT-2's reversible map of the 256 byte values to printable characters (bytes that are printable and not
    whitespace map to themselves; the rest to code points from 256 upwards, in byte order)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, n = {}, 0
    for b in range(256):
        if b in keep:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + n)
            n += 1
    return chars


BYTE_CHARS = bytes_to_unicode()
CONTRACTIONS = ("s", "t", "re", "ve", "m", "ll", "d")


def _kind(ch):
    cat = unicodedata.category(ch)
    if ch.isspace():
        return "space"
    if cat.startswith("L"):
        return "letter"
    if cat.startswith("N"):
        return "number"
    return "other"


def pretokenize(text):
    """GPT-2's split, the regex 's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+
    written out as a scanner (no third-party regex module needed)."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            hit = next((c for c in ("re", "ve", "ll", "s", "t", "m", "d") if text.startswith(c, i + 1)), None)
            if hit:
                out.append("'" + hit)
                i += 1 + len(hit)
                continue
        start = i
        if ch == " " and i + 1 < n and _kind(text[i + 1]) != "space":
            i += 1
        kind = _kind(text[i])
        if kind != "space":
            j = i + 1
            while j < n and _kind(text[j]) == kind:
                j += 1
            out.append(text[start:j])
            i = j
            continue
        j = i
        while j < n and _kind(text[j]) == "space":
            j += 1
        # \s+(?!\S): leave the last whitespace for the next token when a non-space follows; \s+ otherwise.
        end = j - 1 if j < n and j - 1 > i else j
        out.append(text[i:end])
        i = end
    return out


def merge_pair(parts, pair):
    """Every non-overlapping occurrence of `pair` in `parts`, left to right, joined into one symbol."""
    merged, k = [], 0
    while k < len(parts):
        if k + 1 < len(parts) and (parts[k], parts[k + 1]) == pair:
            merged.append(parts[k] + parts[k + 1])
            k += 2
        else:
            merged.append(parts[k])
            k += 1
    return merged


class ByteLevelBPE:
    """RoBERTa's tokenizer: GPT-2 pre-tokenization, bytes mapped to characters, merges applied by rank; the
    sequence is <s> A </s>, truncated to max_length keeping both special tokens."""

    def __init__(self, vocab, merges, specials):
        self.vocab = vocab
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.specials = specials
        self.cache = {}

    @staticmethod
    def from_tokenizer_json(path):
        j = json.load(open(path, encoding="utf-8"))
        model = j["model"]
        assert model["type"] == "BPE", model["type"]
        merges = [m.split(" ") if isinstance(m, str) else m for m in model["merges"]]
        vocab = dict(model["vocab"])
        for t in j["added_tokens"]:
            vocab[t["content"]] = t["id"]
        return ByteLevelBPE(vocab, merges, j["post_processor"])

    @staticmethod
    def from_vocab_files(folder):
        vocab = json.load(open(os.path.join(folder, "vocab.json"), encoding="utf-8"))
        lines = open(os.path.join(folder, "merges.txt"), encoding="utf-8").read().split("\n")
        merges = [l.split(" ") for l in lines if l and not l.startswith("#version")]
        return ByteLevelBPE(vocab, merges, {"cls": ["<s>", vocab["<s>"]], "sep": ["</s>", vocab["</s>"]]})

    def bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            best = min(range(len(parts) - 1), key=lambda k: self.ranks.get((parts[k], parts[k + 1]), math.inf))
            if (parts[best], parts[best + 1]) not in self.ranks:
                break
            parts = merge_pair(parts, (parts[best], parts[best + 1]))
        self.cache[word] = parts
        return parts

    def encode(self, text, max_length=128):
        ids = []
        for piece in pretokenize(text):
            mapped = "".join(BYTE_CHARS[b] for b in piece.encode("utf-8"))
            ids.extend(self.vocab[p] for p in self.bpe(mapped))
        ids = ids[: max_length - 2]
        return [self.specials["cls"][1]] + ids + [self.specials["sep"][1]]


def train_bpe(texts, num_merges):
    """A small BPE trainer (most frequent adjacent pair first, ties by first occurrence) over byte-mapped GPT-2
    pre-tokens: enough to give a tiny checkpoint a real, non-trivial merges list."""
    words = collections.Counter()
    for t in texts:
        for piece in pretokenize(t):
            words["".join(BYTE_CHARS[b] for b in piece.encode("utf-8"))] += 1
    split = {w: list(w) for w in words}
    merges = []
    for _ in range(num_merges):
        pairs = collections.Counter()
        for w, c in words.items():
            p = split[w]
            for k in range(len(p) - 1):
                pairs[(p[k], p[k + 1])] += c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: kv[1])[0]
        merges.append(best)
        for w in words:
            split[w] = merge_pair(split[w], best)
    return merges


def write_tokenizer_files(out, merges, max_length):
    """tokenizer.json (as `tokenizers` saves a RoBERTa tokenizer), vocab.json + merges.txt (the slow tokenizer's
    files), tokenizer_config.json and special_tokens_map.json."""
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    vocab = {t: i for i, t in enumerate(specials)}
    for ch in BYTE_CHARS.values():
        vocab.setdefault(ch, len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<mask>"] = len(vocab)
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": t == "<mask>", "rstrip": False,
              "normalized": False, "special": True} for t in specials + ["<mask>"]]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", vocab["</s>"]], "cls": ["<s>", vocab["<s>"]],
                           "trim_offsets": True, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [[a, b] for a, b in merges]},
    }
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    special_map = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                   "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    with open(os.path.join(out, "special_tokens_map.json"), "w") as f:
        json.dump(special_map, f, indent=2)
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "RobertaTokenizer", "model_max_length": max_length, "add_prefix_space": False,
                   "errors": "replace", **special_map}, f, indent=2)
    return len(vocab)


def write_wordpiece_files(out, texts, max_length, size=600):
    """vocab.txt as BERT/ELECTRA checkpoints ship it: special tokens, single characters and their ## forms, then
    the most frequent lower-cased words of `texts`; tokenizer_config.json of an uncased ELECTRA tokenizer."""
    wp = WordPiece.__new__(WordPiece)
    wp.lower = True
    words = collections.Counter(w for t in texts for w in wp._basic(t))
    chars = sorted({c for w in words for c in w})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + c for c in chars]
    vocab += [w for w, _ in words.most_common(size) if w not in vocab]
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "ElectraTokenizer", "do_lower_case": True, "model_max_length": max_length,
                   "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]"}, f, indent=2)
    return len(vocab)


def load_tokenizer(folder, vocab_files=False):
    if os.path.exists(os.path.join(folder, "vocab.txt")) and not os.path.exists(os.path.join(folder, "vocab.json")):
        return WordPiece(os.path.join(folder, "vocab.txt"))
    if vocab_files or not os.path.exists(os.path.join(folder, "tokenizer.json")):
        return ByteLevelBPE.from_vocab_files(folder)
    return ByteLevelBPE.from_tokenizer_json(os.path.join(folder, "tokenizer.json"))

# ------------------------------------------------------------------------------------------------ safetensors


DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64, "F64": torch.float64}


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        buf = bytearray(data[8 + n + a:8 + n + b])
        out[name] = torch.frombuffer(buf, dtype=DTYPES[info["dtype"]]).reshape(info["shape"]).float() if b > a else torch.zeros(info["shape"])
    return out

# ---------------------------------------------------------------------------------------------------- model


class Family:
    """What differs between the families: the base-model prefix, position ids, embedding width and the head."""

    def __init__(self, cfg):
        t = cfg["model_type"]
        if t in ("roberta", "xlm-roberta", "camembert"):
            self.prefix, self.activation = "roberta", torch.tanh
            pad = cfg["pad_token_id"]
            self.positions = lambda ids: torch.cumsum((ids != pad).long(), 1) * (ids != pad).long() + pad
        elif t == "electra":
            self.prefix, self.activation = "electra", nn.functional.gelu
            self.positions = lambda ids: torch.arange(ids.shape[1]).unsqueeze(0).expand_as(ids)
        else:
            raise SystemExit(f"unsupported model_type {t}")
        self.embedding = cfg.get("embedding_size", cfg["hidden_size"]) if t == "electra" else cfg["hidden_size"]


class Named(nn.Module):
    """A module whose children are given by keyword, so state_dict() keys are Hugging Face's names."""

    def __init__(*args, **children):  # not "self": one child is called "self" (BertAttention.self)
        module = args[0]
        nn.Module.__init__(module)
        for k, v in children.items():
            setattr(module, k, v)


def layer_norm(n, eps):
    return nn.LayerNorm(n, eps=eps)


class EncoderClassifier(nn.Module):
    def __init__(self, cfg, num_labels):
        super().__init__()
        self.cfg, self.family = cfg, Family(cfg)
        h, e, eps = cfg["hidden_size"], self.family.embedding, cfg.get("layer_norm_eps", 1e-12)
        self.heads = cfg["num_attention_heads"]
        self.p_hidden = cfg.get("hidden_dropout_prob", 0.1)
        self.p_attn = cfg.get("attention_probs_dropout_prob", 0.1)
        cd = cfg.get("classifier_dropout")
        self.p_head = self.p_hidden if cd is None else cd
        emb = Named(word_embeddings=nn.Embedding(cfg["vocab_size"], e), position_embeddings=nn.Embedding(cfg["max_position_embeddings"], e),
                    token_type_embeddings=nn.Embedding(cfg.get("type_vocab_size", 2), e), LayerNorm=layer_norm(e, eps))
        layers = nn.ModuleList(
            Named(attention=Named(self=Named(query=nn.Linear(h, h), key=nn.Linear(h, h), value=nn.Linear(h, h)),
                                  output=Named(dense=nn.Linear(h, h), LayerNorm=layer_norm(h, eps))),
                  intermediate=Named(dense=nn.Linear(h, cfg["intermediate_size"])),
                  output=Named(dense=nn.Linear(cfg["intermediate_size"], h), LayerNorm=layer_norm(h, eps)))
            for _ in range(cfg["num_hidden_layers"]))
        base = Named(embeddings=emb, encoder=Named(layer=layers))
        if e != h:
            base.embeddings_project = nn.Linear(e, h)
        setattr(self, self.family.prefix, base)
        self.classifier = Named(dense=nn.Linear(h, h), out_proj=nn.Linear(h, num_labels))

    @property
    def base(self):
        return getattr(self, self.family.prefix)

    def drop(self, x, p):
        return nn.functional.dropout(x, p, self.training)

    def hidden(self, ids, mask):
        b = self.base
        x = b.embeddings.word_embeddings(ids) + b.embeddings.position_embeddings(self.family.positions(ids)) \
            + b.embeddings.token_type_embeddings(torch.zeros_like(ids))
        x = self.drop(b.embeddings.LayerNorm(x), self.p_hidden)
        if hasattr(b, "embeddings_project"):
            x = b.embeddings_project(x)
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        n, t, h = x.shape
        d = h // self.heads
        for layer in b.encoder.layer:
            a = layer.attention
            split = lambda y: y.view(n, t, self.heads, d).transpose(1, 2)
            q, k, v = split(a.self.query(x)), split(a.self.key(x)), split(a.self.value(x))
            probs = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, -1), self.p_attn)
            ctx = (probs @ v).transpose(1, 2).reshape(n, t, h)
            x = a.output.LayerNorm(x + self.drop(a.output.dense(ctx), self.p_hidden))
            up = nn.functional.gelu(layer.intermediate.dense(x))
            x = layer.output.LayerNorm(x + self.drop(layer.output.dense(up), self.p_hidden))
        return x

    def forward(self, ids, mask):
        """RobertaClassificationHead / ElectraClassificationHead: dropout, dense, tanh|gelu, dropout, out_proj on
        the first token."""
        x = self.drop(self.hidden(ids, mask)[:, 0], self.p_head)
        x = self.drop(self.family.activation(self.classifier.dense(x)), self.p_head)
        return self.classifier.out_proj(x)

    def load(self, tensors, strict_head=True):
        own = self.state_dict()
        missing = [k for k in own if k not in tensors and (strict_head or not k.startswith("classifier."))]
        if missing:
            raise SystemExit(f"missing tensors: {missing[:5]}")
        self.load_state_dict({k: tensors[k] for k in own if k in tensors}, strict=False)


def init_hf(model, seed):
    """_init_weights of RobertaPreTrainedModel / ElectraPreTrainedModel: normal(0, initializer_range) for
    linear and embedding weights, zero biases, LayerNorm 1/0, zero padding row of the word (and, for RoBERTa,
    position) embeddings."""
    g = torch.Generator().manual_seed(seed)
    std = model.cfg.get("initializer_range", 0.02)
    pad = model.cfg["pad_token_id"]
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.copy_(torch.randn(p.shape, generator=g) * std)
        b = model.base.embeddings
        b.word_embeddings.weight[pad].zero_()
        if model.family.prefix == "roberta":
            b.position_embeddings.weight[pad].zero_()


def read_config(folder):
    return json.load(open(os.path.join(folder, "config.json")))


def load_model(folder, strict_head=True):
    cfg = read_config(folder)
    model = EncoderClassifier(cfg, cfg.get("num_labels", len(cfg.get("id2label", {})) or 2))
    model.load(load_safetensors(os.path.join(folder, "model.safetensors")), strict_head)
    model.eval()
    return model

# ------------------------------------------------------------------------------------------------- commands


def read_texts(path, n=None):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.strip():
            out.append(json.loads(line)["text"])
        if n and len(out) >= n:
            break
    return out


def cmd_make(a):
    os.makedirs(a.out, exist_ok=True)
    max_length = a.max_length
    texts = read_texts(a.texts, 3000)
    if a.family == "electra":
        vocab_size = write_wordpiece_files(a.out, texts, max_length)
    else:
        vocab_size = write_tokenizer_files(a.out, train_bpe(texts, a.merges), max_length)
    common = {"vocab_size": max(vocab_size, a.vocab_size), "hidden_size": a.hidden, "num_hidden_layers": a.layers,
              "num_attention_heads": a.heads, "intermediate_size": a.intermediate or a.hidden * 2, "hidden_act": "gelu", "hidden_dropout_prob": a.dropout,
              "attention_probs_dropout_prob": a.dropout, "initializer_range": 0.2, "layer_norm_eps": 1e-5,
              "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2, "type_vocab_size": 1, "transformers_version": "4.46.0"}
    if a.family in ("roberta", "xlm-roberta", "camembert"):
        cls = {"roberta": "Roberta", "xlm-roberta": "XLMRoberta", "camembert": "Camembert"}[a.family]
        cfg = {"architectures": [f"{cls}ForMaskedLM"], "model_type": a.family, "max_position_embeddings": max_length + 2,
               "position_embedding_type": "absolute", **common}
    else:
        cfg = {"architectures": ["ElectraForPreTraining"], "model_type": "electra", "max_position_embeddings": max_length,
               "embedding_size": a.embedding or a.hidden, "position_embedding_type": "absolute", "summary_type": "first",
               "summary_use_proj": True, "summary_activation": "gelu", "summary_last_dropout": 0.1, **common}
        cfg["pad_token_id"] = 0
        cfg["type_vocab_size"] = 2
    labels = a.labels.split(",") if a.labels else []
    if labels:
        # A fine-tuned classifier as save_pretrained writes it: the head's tensors and the label maps.
        cls = cfg["architectures"][0].replace("ForMaskedLM", "").replace("ForPreTraining", "")
        cfg.update(architectures=[f"{cls}ForSequenceClassification"], id2label={str(i): l for i, l in enumerate(labels)},
                   label2id={l: i for i, l in enumerate(labels)}, problem_type="single_label_classification")
    model = EncoderClassifier(cfg, max(2, len(labels)))
    init_hf(model, a.seed)
    tensors = {k: v for k, v in model.state_dict().items() if labels or not k.startswith("classifier.")}
    save_safetensors(os.path.join(a.out, "model.safetensors"), tensors)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


def cmd_to_bin(a):
    """The folder's model.safetensors as pytorch_model.bin (torch.save of the state dict, as save_pretrained wrote
    it before safetensors), with the position_ids buffer older checkpoints carry; other files copied."""
    import shutil
    os.makedirs(a.out, exist_ok=True)
    for name in os.listdir(a.dir):
        if name != "model.safetensors":
            shutil.copy(os.path.join(a.dir, name), os.path.join(a.out, name))
    tensors = collections.OrderedDict(load_safetensors(os.path.join(a.dir, "model.safetensors")))
    prefix = "roberta" if any(k.startswith("roberta.") for k in tensors) else "electra"
    tensors[f"{prefix}.embeddings.position_ids"] = torch.arange(read_config(a.dir)["max_position_embeddings"]).unsqueeze(0)
    torch.save(tensors, os.path.join(a.out, "pytorch_model.bin"))


def cmd_tokenize(a):
    tok = load_tokenizer(a.dir, a.vocab_files)
    print(json.dumps([tok.encode(t, a.max_length) for t in json.load(sys.stdin)]))


def cmd_logits(a, load=None, tokenizer=None):
    """`load`/`tokenizer` build another family's model and tokenizer from the folder (torch_deberta.py)."""
    model, tok = (load or load_model)(a.dir), (tokenizer or load_tokenizer)(a.dir)
    out = []
    with torch.no_grad():
        for text in json.load(sys.stdin):
            ids = torch.tensor([tok.encode(text, a.max_length)])
            out.append(model(ids, torch.ones_like(ids))[0].tolist())
    print(json.dumps(out))


def print_goldens(model, tok, a):
    """The golden lines of the first a.n texts of a.texts: token ids, logits and the first 8 hidden values of token 0,
    one JSON object a line (eval mode, one text at a time). Shared by every family's reference."""
    with torch.no_grad():
        for text in read_texts(a.texts, a.n):
            ids = tok.encode(text, a.max_length)
            x = torch.tensor([ids])
            hidden = model.hidden(x, torch.ones_like(x))
            logits = model(x, torch.ones_like(x))
            print(json.dumps({"text": text, "input_ids": ids, "logits": [round(v, 7) for v in logits[0].tolist()],
                              "cls_hidden_first8": [round(v, 7) for v in hidden[0, 0, :8].tolist()]}))


def cmd_golden(a, load=None, tokenizer=None):
    """`load`/`tokenizer` build another family's model and tokenizer from the folder (torch_modernbert.py)."""
    print_goldens((load or (lambda d: load_model(d, strict_head=True)))(a.dir), (tokenizer or load_tokenizer)(a.dir), a)


def padded(rows, pad):
    """Right-padded ids and their 0/1 attention mask, `[len(rows), longest]` tensors."""
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    return ids, mask


def cmd_train(a, load=None):
    """The same steps as the engine: padded batches, mean cross-entropy, AdamW (no decay on biases and norm weights
    — BERT's LayerNorm, ModernBERT's *_norm — as transformers' Trainer), the linear warm-up/decay schedule, gradient
    clipping; dropout as configured. `load` builds another family's model from the folder (torch_deberta.py,
    torch_modernbert.py); default this file's."""
    job = json.load(sys.stdin)
    model = (load or load_model)(a.dir)
    model.train()
    no_decay = lambda n: n.endswith("bias") or "norm" in n.lower()  # noqa: E731
    opt = torch.optim.AdamW([{"params": [p for n, p in model.named_parameters() if not no_decay(n)], "weight_decay": job["weight_decay"]},
                             {"params": [p for n, p in model.named_parameters() if no_decay(n)], "weight_decay": 0.0}],
                            lr=job["lr"], betas=(0.9, 0.999), eps=1e-8)
    warmup, total = job["warmup"], job["total"]
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    losses = []
    start = time.perf_counter()
    for rows, labels in zip(job["batches"], job["labels"]):
        ids, mask = padded(rows, model.cfg["pad_token_id"])
        loss = nn.functional.cross_entropy(model(ids, mask), torch.tensor(labels))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), job["max_grad_norm"])
        opt.step()
        sched.step()
        losses.append(loss.item())
    print(json.dumps({"losses": losses, "seconds": time.perf_counter() - start}))


def add_folder_commands(sub, names):
    """The commands that read a model folder (DIR [--max-length N]; golden also --texts FILE [--n N]), as every
    family's reference takes them; returns their parsers by name."""
    parsers = {}
    for name in names:
        s = parsers[name] = sub.add_parser(name)
        s.add_argument("dir")
        s.add_argument("--max-length", type=int, default=128)
        if name == "golden":
            s.add_argument("--texts", required=True)
            s.add_argument("--n", type=int, default=64)
    return parsers


def main():
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("family", choices=["roberta", "xlm-roberta", "camembert", "electra"])
    m.add_argument("out")
    m.add_argument("--texts", required=True)
    m.add_argument("--merges", type=int, default=400)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--hidden", type=int, default=32)
    m.add_argument("--heads", type=int, default=2)
    m.add_argument("--intermediate", type=int, default=0, help="default 2 × hidden (base shapes: 3072 at 768)")
    m.add_argument("--vocab-size", type=int, default=0, help="a larger embedding table than the tokenizer needs (roberta-base: 50265)")
    m.add_argument("--max-length", type=int, default=64, help="the tokenizer's model_max_length and the position table (base shapes: 512)")
    m.add_argument("--embedding", type=int, default=0)
    m.add_argument("--dropout", type=float, default=0.1)
    m.add_argument("--labels", default="", help="comma-separated: write a trained-looking head with these labels")
    b = sub.add_parser("to-bin")
    b.add_argument("dir")
    b.add_argument("out")
    add_folder_commands(sub, ("tokenize", "logits", "golden", "train"))["tokenize"].add_argument("--vocab-files", action="store_true")
    a = p.parse_args()
    {"make": cmd_make, "to-bin": cmd_to_bin, "tokenize": cmd_tokenize, "logits": cmd_logits, "golden": cmd_golden, "train": cmd_train}[a.cmd](a)


if __name__ == "__main__":
    main()
