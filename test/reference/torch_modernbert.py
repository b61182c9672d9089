"""An independent PyTorch implementation of ModernBertForSequenceClassification with Hugging Face semantics, and of
ModernBERT's tokenizer (byte-level BPE from tokenizer.json with a [CLS] $A [SEP] template): the yardstick the
engine's ModernBERT family is checked against (Python `transformers` cannot be installed here). Written from the
semantics of transformers' modeling_modernbert.py / configuration_modernbert.py (eager attention path); tensor names
are HF's, so folders written here load in `AutoModelForSequenceClassification` and the other way round.

What it computes (HF semantics, written out):
- embeddings: tok_embeddings → LayerNorm(norm_eps, bias iff norm_bias) → dropout(embedding_dropout); no positions.
- layer i: global attention when i % global_attn_every_n_layers == 0 (rotary theta global_rope_theta), else a
  sliding window |q − k| ≤ local_attention // 2 (theta local_rope_theta) combined with the padding mask;
  x += dropout(Wo(attention(attn_norm(x)))), attn_norm is Identity in layer 0; fused Wqkv split as
  [3, heads, head_dim]; rotary as in Llama/NeoX (rotate_half, cos/sin of cat(freqs, freqs)), computed in float32.
  x += mlp.Wo(dropout(act(a) * g)) with a, g = chunk(mlp.Wi(mlp_norm(x)), 2).
- final_norm; pooling "cls" (first token) or "mean" (over the attention mask); head = norm(act(dense(pooled)));
  logits = classifier(dropout(head)).
- bias flags: attention_bias (Wqkv, attn.Wo), mlp_bias (Wi, mlp.Wo), norm_bias (every LayerNorm), classifier_bias
  (head.dense); `classifier` always has a bias.

Run with Debian's /usr/bin/python3 (python3-torch). Commands (JSON on stdin/stdout where data flows):
    make OUT --texts FILE [--merges N] [--seed S] [--layers L] [--hidden H] [--heads A] [--intermediate I]
         [--vocab-size V] [--window W] [--every N] [--dropout P] [--pooling cls|mean] [--biases] [--labels a,b,...]
        a random-weight tiny checkpoint (ModernBertForMaskedLM-like: head.* without a classifier, unless --labels)
        with ModernBERT-format tokenizer files trained on FILE's texts
    tokenize DIR                    stdin: ["text", ...] -> [[ids], ...]
    logits DIR                      stdin: ["text", ...] -> [[logits], ...] (eval mode, one text at a time)
    batch-logits DIR                stdin: [[ids...], ...] -> [[logits], ...] (eval mode, one right-padded batch)
    golden DIR --texts FILE --n N   token ids, logits and the first 8 final hidden values of token 0, JSON lines
    train DIR                       stdin: {"batches", "labels", "lr", "weight_decay", "warmup", "total",
                                    "max_grad_norm"} -> {"losses": [...], "seconds": training loop time}
                                    (TORCH_THREADS sets torch's threads, default 1)
"""
import argparse
import json
import math
import os
import sys

import torch
from torch import nn

import torch_encoders
from torch_encoders import BYTE_CHARS, ByteLevelBPE, Named, load_safetensors, padded, pretokenize, read_config, read_texts, save_safetensors, train_bpe

# ---------------------------------------------------------------------------------------------------- tokenizer


def template_tokenizer(path):
    """ModernBERT's tokenizer.json: byte-level BPE whose post-processor is a TemplateProcessing "[CLS] $A [SEP]"."""
    j = json.load(open(path, encoding="utf-8"))
    post = j["post_processor"]
    assert post["type"] == "TemplateProcessing", post["type"]
    single = post["single"]
    assert [list(p)[0] for p in single] == ["SpecialToken", "Sequence", "SpecialToken"], single
    first, last = single[0]["SpecialToken"]["id"], single[2]["SpecialToken"]["id"]
    ids = {name: post["special_tokens"][name]["ids"][0] for name in (first, last)}
    tok = ByteLevelBPE.from_tokenizer_json(path)
    tok.specials = {"cls": [first, ids[first]], "sep": [last, ids[last]]}
    return tok


SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def write_tokenizer_files(out, merges, max_length):
    """tokenizer.json laid out as ModernBERT's: <|endoftext|> 0 and <|padding|> 1 (GPT-NeoX), the byte alphabet and
    merges, then [UNK] [CLS] [SEP] [PAD] [MASK] as added tokens at the end; TemplateProcessing [CLS] $A [SEP]."""
    vocab = {"<|endoftext|>": 0, "<|padding|>": 1}
    for ch in BYTE_CHARS.values():
        vocab.setdefault(ch, len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    for t in SPECIALS:
        vocab[t] = len(vocab)
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": t == "[MASK]", "rstrip": False,
              "normalized": t.startswith("<|"), "special": True} for t in ["<|endoftext|>", "<|padding|>"] + SPECIALS]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {k: v for k, v in vocab.items() if k not in SPECIALS}, "merges": [f"{a} {b}" for a, b in merges]},
    }
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    special_map = {"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]"}
    with open(os.path.join(out, "special_tokens_map.json"), "w") as f:
        json.dump(special_map, f, indent=2)
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": max_length, "clean_up_tokenization_spaces": True,
                   "model_input_names": ["input_ids", "attention_mask"], **special_map}, f, indent=2)
    return len(vocab), vocab

# ---------------------------------------------------------------------------------------------------- model


class LayerNorm(nn.Module):
    """nn.LayerNorm(h, eps, bias=norm_bias) of torch ≥ 2.1 (Debian's torch 1.13 has no `bias` argument)."""

    def __init__(self, h, eps, bias):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(h))
        self.bias = nn.Parameter(torch.zeros(h)) if bias else None

    def forward(self, x):
        return nn.functional.layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)


ACTIVATIONS = {
    "gelu": nn.functional.gelu,
    "gelu_new": lambda x: nn.functional.gelu(x, approximate="tanh"),
    "gelu_pytorch_tanh": lambda x: nn.functional.gelu(x, approximate="tanh"),
    "silu": nn.functional.silu,
    "relu": nn.functional.relu,
}


def rope_theta(cfg, is_global):
    """The rotary base of a layer: rope_parameters[full_attention|sliding_attention].rope_theta (new configs), else
    global_rope_theta / local_rope_theta (released configs; local falls back to global when null)."""
    params = cfg.get("rope_parameters") or {}
    key = "full_attention" if is_global else "sliding_attention"
    if isinstance(params.get(key), dict) and "rope_theta" in params[key]:
        return params[key]["rope_theta"]
    glob = cfg.get("global_rope_theta", 160000.0)
    if is_global:
        return glob
    local = cfg.get("local_rope_theta", 10000.0)
    return glob if local is None else local


def layer_is_global(cfg, i):
    types = cfg.get("layer_types")
    if types:
        return types[i] == "full_attention"
    return i % cfg.get("global_attn_every_n_layers", 3) == 0


def rotary(seq_len, dim, theta):
    """cos, sin [seq, dim] as ModernBertRotaryEmbedding (default rope type) computes them, in float32."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    freqs = torch.outer(torch.arange(seq_len).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class ModernBertClassifier(nn.Module):
    def __init__(self, cfg, num_labels):
        super().__init__()
        self.cfg = cfg
        h, inter, eps = cfg["hidden_size"], cfg["intermediate_size"], cfg.get("norm_eps", 1e-5)
        nb, ab, mb = cfg.get("norm_bias", False), cfg.get("attention_bias", False), cfg.get("mlp_bias", False)
        self.heads = cfg["num_attention_heads"]
        self.act = ACTIVATIONS[cfg.get("hidden_activation", "gelu")]
        self.head_act = ACTIVATIONS[cfg.get("classifier_activation", "gelu")]
        self.p_emb, self.p_attn = cfg.get("embedding_dropout", 0.0), cfg.get("attention_dropout", 0.0)
        self.p_mlp, self.p_cls = cfg.get("mlp_dropout", 0.0), cfg.get("classifier_dropout", 0.0)
        layers = nn.ModuleList(
            Named(attn_norm=nn.Identity() if i == 0 else LayerNorm(h, eps, nb),
                  attn=Named(Wqkv=nn.Linear(h, 3 * h, bias=ab), Wo=nn.Linear(h, h, bias=ab)),
                  mlp_norm=LayerNorm(h, eps, nb), mlp=Named(Wi=nn.Linear(h, 2 * inter, bias=mb), Wo=nn.Linear(inter, h, bias=mb)))
            for i in range(cfg["num_hidden_layers"]))
        self.model = Named(embeddings=Named(tok_embeddings=nn.Embedding(cfg["vocab_size"], h), norm=LayerNorm(h, eps, nb)),
                           layers=layers, final_norm=LayerNorm(h, eps, nb))
        self.head = Named(dense=nn.Linear(h, h, bias=cfg.get("classifier_bias", False)), norm=LayerNorm(h, eps, nb))
        self.classifier = nn.Linear(h, num_labels)

    def drop(self, x, p):
        return nn.functional.dropout(x, p, self.training)

    def hidden(self, ids, mask):
        """Final hidden states [n, t, h] after final_norm (eager attention, HF's masks)."""
        cfg, m = self.cfg, self.model
        x = self.drop(m.embeddings.norm(m.embeddings.tok_embeddings(ids)), self.p_emb)
        n, t, h = x.shape
        d = h // self.heads
        low = torch.finfo(torch.float32).min
        padding = (1.0 - mask[:, None, None, :].float()) * low
        pos = torch.arange(t)
        window = (pos[None, :] - pos[:, None]).abs() <= cfg.get("local_attention", 128) // 2
        sliding = padding.masked_fill(~window[None, None], low)
        for i, layer in enumerate(m.layers):
            is_global = layer_is_global(cfg, i)
            cos, sin = rotary(t, d, rope_theta(cfg, is_global))
            qkv = layer.attn.Wqkv(layer.attn_norm(x)).view(n, t, 3, self.heads, d)
            q, k, v = qkv.transpose(3, 1).unbind(dim=2)  # [n, heads, t, d] each
            q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
            scores = q @ k.transpose(2, 3) * d ** -0.5 + (padding if is_global else sliding)
            probs = self.drop(torch.softmax(scores, -1), self.p_attn)
            ctx = (probs @ v).transpose(1, 2).reshape(n, t, h)
            x = x + self.drop(layer.attn.Wo(ctx), self.p_attn)
            a, g = layer.mlp.Wi(layer.mlp_norm(x)).chunk(2, dim=-1)
            x = x + layer.mlp.Wo(self.drop(self.act(a) * g, self.p_mlp))
        return m.final_norm(x)

    def forward(self, ids, mask):
        x = self.hidden(ids, mask)
        if self.cfg.get("classifier_pooling", "cls") == "mean":
            pooled = (x * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True)
        else:
            pooled = x[:, 0]
        return self.classifier(self.drop(self.head.norm(self.head_act(self.head.dense(pooled))), self.p_cls))


def init_hf(model, seed):
    """ModernBertPreTrainedModel._init_weights: truncated normal (±initializer_cutoff_factor σ) with σ =
    initializer_range for tok_embeddings, Wqkv and Wi; initializer_range / √(2·layers) for attn.Wo, mlp.Wo and
    head.dense; hidden_size^-0.5 for the classifier; zero biases, LayerNorm 1/0."""
    cfg = model.cfg
    torch.manual_seed(seed)
    cutoff = cfg.get("initializer_cutoff_factor", 2.0) or 3.0
    r = cfg.get("initializer_range", 0.02)
    out = r / math.sqrt(2.0 * cfg["num_hidden_layers"])
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                std = cfg["hidden_size"] ** -0.5 if name.startswith("classifier.") else out if name.endswith("Wo.weight") or name.startswith("head.dense") else r
                nn.init.trunc_normal_(p, 0.0, std, -cutoff * std, cutoff * std)


def load_model(folder):
    cfg = read_config(folder)
    model = ModernBertClassifier(cfg, cfg.get("num_labels", len(cfg.get("id2label", {})) or 2))
    tensors = load_safetensors(os.path.join(folder, "model.safetensors"))
    own = model.state_dict()
    missing = [k for k in own if k not in tensors]
    if missing:
        raise SystemExit(f"missing tensors: {missing[:5]}")
    model.load_state_dict({k: tensors[k] for k in own})
    model.eval()
    return model

# ------------------------------------------------------------------------------------------------- commands


def cmd_make(a):
    os.makedirs(a.out, exist_ok=True)
    max_length = 128
    vocab_size, vocab = write_tokenizer_files(a.out, train_bpe(read_texts(a.texts, 3000), a.merges), max_length)
    cfg = {"architectures": ["ModernBertForMaskedLM"], "model_type": "modernbert", "vocab_size": max(vocab_size, a.vocab_size),
           "hidden_size": a.hidden, "intermediate_size": a.intermediate or a.hidden * 3 // 2, "num_hidden_layers": a.layers,
           "num_attention_heads": a.heads, "hidden_activation": "gelu", "max_position_embeddings": max_length,
           "initializer_range": 0.2, "initializer_cutoff_factor": 2.0, "norm_eps": 1e-5, "norm_bias": a.biases,
           "pad_token_id": vocab["[PAD]"], "eos_token_id": vocab["[SEP]"], "bos_token_id": vocab["[CLS]"],
           "cls_token_id": vocab["[CLS]"], "sep_token_id": vocab["[SEP]"], "attention_bias": a.biases,
           "attention_dropout": a.dropout, "global_attn_every_n_layers": a.every, "global_rope_theta": 160000.0,
           "local_attention": a.window, "local_rope_theta": 10000.0, "embedding_dropout": a.dropout,
           "mlp_bias": a.biases, "mlp_dropout": a.dropout, "decoder_bias": True, "classifier_pooling": a.pooling,
           "classifier_dropout": a.dropout, "classifier_bias": a.biases, "classifier_activation": "gelu",
           "deterministic_flash_attn": False, "sparse_prediction": False, "sparse_pred_ignore_index": -100,
           "tie_word_embeddings": True, "transformers_version": "4.48.0"}
    labels = a.labels.split(",") if a.labels else []
    if labels:
        cfg.update(architectures=["ModernBertForSequenceClassification"], id2label={str(i): l for i, l in enumerate(labels)},
                   label2id={l: i for i, l in enumerate(labels)}, problem_type="single_label_classification")
    model = ModernBertClassifier(cfg, max(2, len(labels)))
    init_hf(model, a.seed)
    vocab_size = cfg["vocab_size"]
    tensors = {k: v for k, v in model.state_dict().items() if labels or not k.startswith("classifier.")}
    if not labels:
        # A ModernBertForMaskedLM checkpoint also holds the decoder's bias (its weight is tied to tok_embeddings).
        tensors["decoder.bias"] = torch.zeros(vocab_size)
    save_safetensors(os.path.join(a.out, "model.safetensors"), tensors)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


def load_tokenizer(folder):
    return template_tokenizer(os.path.join(folder, "tokenizer.json"))


def cmd_tokenize(a):
    tok = load_tokenizer(a.dir)
    print(json.dumps([tok.encode(t, a.max_length) for t in json.load(sys.stdin)]))


def cmd_batch_logits(a):
    model = load_model(a.dir)
    with torch.no_grad():
        ids, mask = padded(json.load(sys.stdin), model.cfg["pad_token_id"])
        print(json.dumps(model(ids, mask).tolist()))


def main():
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    m.add_argument("--texts", required=True)
    m.add_argument("--merges", type=int, default=400)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--layers", type=int, default=4)
    m.add_argument("--hidden", type=int, default=32)
    m.add_argument("--heads", type=int, default=2)
    m.add_argument("--intermediate", type=int, default=0, help="default 1.5 × hidden (ModernBERT-base: 1152 at 768)")
    m.add_argument("--vocab-size", type=int, default=0, help="a larger embedding table than the tokenizer needs (base shape: 50368)")
    m.add_argument("--window", type=int, default=8, help="local_attention: the whole window (±window/2)")
    m.add_argument("--every", type=int, default=3, help="global_attn_every_n_layers")
    m.add_argument("--dropout", type=float, default=0.0)
    m.add_argument("--pooling", choices=["cls", "mean"], default="cls")
    m.add_argument("--biases", action="store_true", help="attention_bias, mlp_bias, norm_bias and classifier_bias on")
    m.add_argument("--labels", default="", help="comma-separated: write a trained-looking head with these labels")
    torch_encoders.add_folder_commands(sub, ("tokenize", "logits", "batch-logits", "golden", "train"))
    a = p.parse_args()
    # logits, golden and train are torch_encoders' commands with this family's loader and tokenizer.
    {"make": cmd_make, "tokenize": cmd_tokenize, "batch-logits": cmd_batch_logits,
     "logits": lambda a: torch_encoders.cmd_logits(a, load_model, load_tokenizer),
     "golden": lambda a: torch_encoders.cmd_golden(a, load_model, load_tokenizer),
     "train": lambda a: torch_encoders.cmd_train(a, load_model)}[a.cmd](a)


if __name__ == "__main__":
    main()
