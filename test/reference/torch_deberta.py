"""An independent PyTorch implementation of DeBERTa-v2/v3 sequence classification (DebertaV2ForSequenceClassification)
with Hugging Face semantics, the yardstick the engine's DeBERTa is checked against (Python `transformers` cannot be
installed here). Written from transformers' modeling_deberta_v2.py: embeddings (word, absolute positions only when
`position_biased_input`, token types only when `type_vocab_size` > 0, LayerNorm, zeroed padding rows, dropout),
disentangled self-attention (content scores plus content→position and position→content terms over relative
positions with log buckets, one scale √(d·(1+#terms)), the shared relative table optionally layer-normed, shared or
own position projections), masked softmax over query and key padding, BERT's post-LN residuals, ContextPooler and
the classifier. Tensor names are HF's, so folders written here load in `AutoModelForSequenceClassification` and the
other way round. The tokenizer is the Unigram reference in unigram.py.

Run with Debian's /usr/bin/python3 (python3-torch). Commands (JSON on stdin/stdout where data flows):
    make OUT --texts FILE [FILE ...] [--seed S] [--layers L] [--hidden H] [--heads A] [--intermediate I]
         [--vocab-size V] [--buckets B] [--max-relative M] [--own-position-projections] [--absolute-positions]
         [--types N] [--dropout P] [--initializer-range R] [--labels a,b,...]
        a random-weight DeBERTa (a pooler and classifier only with --labels) with the Unigram fixture's tokenizer
        files (the embedding table has max(V, the tokenizer's size) rows)
    tokenize DIR                   stdin: ["text", ...] -> [[ids], ...]
    logits DIR                     stdin: ["text", ...] -> [[logits], ...] (eval mode, one text at a time)
    golden DIR --texts FILE --n N  token ids, logits and [CLS] hidden states of the first N texts, JSON lines
    train DIR                      as torch_encoders.py train (the same optimiser, schedule and clipping)
    buckets B M                    the relative-position bucket of every distance in [-2M, 2M], JSON
    as-published DIR OUT           DIR as microsoft/deberta-v3-* publish it: spm.model without tokenizer.json, the
                                   weights as pytorch_model.bin with the masked-LM and replaced-token heads, the unused
                                   absolute position table and the position_ids buffer (values of DIR unchanged)
"""
import argparse
import json
import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_encoders  # noqa: E402  (safetensors I/O, texts, the training loop)
import unigram  # noqa: E402
from torch_encoders import Named, load_safetensors, read_config, save_safetensors  # noqa: E402


def log_bucket(rel, buckets, max_position):
    """make_log_bucket_position: distances within half the buckets stay; farther ones go to log-spaced buckets up to
    max_position. Float32 throughout, as torch computes it there."""
    sign = torch.sign(rel)
    mid = buckets // 2
    inside = (rel < mid) & (rel > -mid)
    abs_pos = torch.where(inside, torch.tensor(mid - 1).type_as(rel), torch.abs(rel))
    log_pos = torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid)) * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, rel.type_as(log_pos), log_pos * sign).long()


def relative_positions(n, rel):
    """[n, n] distances query − key, bucketed when the config has buckets."""
    ids = torch.arange(n)
    d = ids[:, None] - ids[None, :]
    return log_bucket(d, rel["buckets"], rel["max_relative"]) if rel["buckets"] > 0 else d


def relative_settings(cfg):
    max_rel = cfg.get("max_relative_positions", -1)
    if max_rel < 1:
        max_rel = cfg["max_position_embeddings"]
    buckets = cfg.get("position_buckets", -1)
    terms = cfg.get("pos_att_type") or []
    if isinstance(terms, str):
        terms = [t.strip() for t in terms.lower().split("|")]
    return {"buckets": buckets, "max_relative": max_rel, "span": buckets if buckets > 0 else max_rel, "terms": terms,
            "share": cfg.get("share_att_key", False),
            "norm": "layer_norm" in [t.strip() for t in cfg.get("norm_rel_ebd", "none").lower().split("|")]}


class DebertaClassifier(nn.Module):
    def __init__(self, cfg, num_labels):
        super().__init__()
        self.cfg, self.rel = cfg, relative_settings(cfg)
        h, eps = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-7)
        assert cfg.get("relative_attention") and cfg.get("embedding_size", h) == h and not cfg.get("conv_kernel_size", 0)
        self.heads = cfg["num_attention_heads"]
        self.p_hidden = cfg.get("hidden_dropout_prob", 0.1)
        self.p_attn = cfg.get("attention_probs_dropout_prob", 0.1)
        self.p_pool = cfg.get("pooler_dropout", 0)
        cd = cfg.get("cls_dropout")
        self.p_head = self.p_hidden if cd is None else cd
        emb = Named(word_embeddings=nn.Embedding(cfg["vocab_size"], h, padding_idx=cfg.get("pad_token_id", 0)), LayerNorm=nn.LayerNorm(h, eps))
        if cfg.get("position_biased_input", True):
            emb.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], h)
        if cfg.get("type_vocab_size", 0) > 0:
            emb.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], h)

        def attention_self():
            m = Named(query_proj=nn.Linear(h, h), key_proj=nn.Linear(h, h), value_proj=nn.Linear(h, h))
            if not self.rel["share"]:
                if "c2p" in self.rel["terms"]:
                    m.pos_key_proj = nn.Linear(h, h)
                if "p2c" in self.rel["terms"]:
                    m.pos_query_proj = nn.Linear(h, h)
            return m
        layers = nn.ModuleList(
            Named(attention=Named(self=attention_self(), output=Named(dense=nn.Linear(h, h), LayerNorm=nn.LayerNorm(h, eps))),
                  intermediate=Named(dense=nn.Linear(h, cfg["intermediate_size"])),
                  output=Named(dense=nn.Linear(cfg["intermediate_size"], h), LayerNorm=nn.LayerNorm(h, eps)))
            for _ in range(cfg["num_hidden_layers"]))
        enc = Named(layer=layers, rel_embeddings=nn.Embedding(2 * self.rel["span"], h))
        if self.rel["norm"]:
            enc.LayerNorm = nn.LayerNorm(h, eps)
        self.deberta = Named(embeddings=emb, encoder=enc)
        self.pooler = Named(dense=nn.Linear(h, h))
        self.classifier = nn.Linear(h, num_labels)

    def drop(self, x, p):
        return nn.functional.dropout(x, p, self.training)

    def attend(self, s, out, x, keep, idx, table):
        n, t, h = x.shape
        heads, d = self.heads, h // self.heads
        split = lambda y: y.reshape(y.shape[0], -1, heads, d).permute(0, 2, 1, 3)  # [batch, heads, len, d]
        q, k, v = split(s.query_proj(x)), split(s.key_proj(x)), split(s.value_proj(x))
        terms = self.rel["terms"]
        scale = math.sqrt(d * (1 + ("c2p" in terms) + ("p2c" in terms)))
        scores = q @ k.transpose(-1, -2) / scale
        table = self.drop(table, self.p_hidden).unsqueeze(0)
        span = self.rel["span"]
        if "c2p" in terms:
            pos_k = split(s.key_proj(table) if self.rel["share"] else s.pos_key_proj(table))  # [1, heads, 2span, d]
            c2p = q @ pos_k.transpose(-1, -2)  # [batch, heads, query, 2span]
            at = torch.clamp(idx + span, 0, 2 * span - 1).expand(n, heads, t, t)
            scores = scores + torch.gather(c2p, -1, at) / scale
        if "p2c" in terms:
            pos_q = split(s.query_proj(table) if self.rel["share"] else s.pos_query_proj(table))
            p2c = k @ pos_q.transpose(-1, -2)  # [batch, heads, key, 2span]
            at = torch.clamp(-idx + span, 0, 2 * span - 1).expand(n, heads, t, t)
            scores = scores + torch.gather(p2c, -1, at).transpose(-1, -2) / scale
        masked = ~keep
        probs = torch.softmax(scores.masked_fill(masked, torch.finfo(scores.dtype).min), -1).masked_fill(masked, 0.0)
        ctx = (self.drop(probs, self.p_attn) @ v).permute(0, 2, 1, 3).reshape(n, t, h)
        return out.LayerNorm(self.drop(out.dense(ctx), self.p_hidden) + x)

    def hidden(self, ids, mask):
        e, enc = self.deberta.embeddings, self.deberta.encoder
        x = e.word_embeddings(ids)
        if hasattr(e, "position_embeddings"):
            x = x + e.position_embeddings(torch.arange(ids.shape[1]).unsqueeze(0))
        if hasattr(e, "token_type_embeddings"):
            x = x + e.token_type_embeddings(torch.zeros_like(ids))
        x = self.drop(e.LayerNorm(x) * mask.unsqueeze(-1).float(), self.p_hidden)
        m = mask[:, None, None, :].bool()
        keep = m & m.transpose(-1, -2)  # [batch, 1, query, key]: both real tokens
        idx = relative_positions(ids.shape[1], self.rel)
        table = enc.rel_embeddings.weight
        if self.rel["norm"]:
            table = enc.LayerNorm(table)
        for layer in enc.layer:
            x = self.layer(layer, x, keep, idx, table)
        return x

    def layer(self, layer, x, keep, idx, table):
        x = self.attend(layer.attention.self, layer.attention.output, x, keep, idx, table)
        up = nn.functional.gelu(layer.intermediate.dense(x))
        return layer.output.LayerNorm(self.drop(layer.output.dense(up), self.p_hidden) + x)

    def forward(self, ids, mask):
        """ContextPooler (dropout, dense, GELU on the first token), dropout, classifier."""
        act = {"gelu": nn.functional.gelu, "tanh": torch.tanh, "relu": torch.relu}[self.cfg.get("pooler_hidden_act", "gelu")]
        pooled = act(self.pooler.dense(self.drop(self.hidden(ids, mask)[:, 0], self.p_pool)))
        return self.classifier(self.drop(pooled, self.p_head))

    def load(self, tensors, strict_head=True):
        own = self.state_dict()
        missing = [k for k in own if k not in tensors and (strict_head or not k.startswith(("classifier.", "pooler.")))]
        if missing:
            raise SystemExit(f"missing tensors: {missing[:5]}")
        self.load_state_dict({k: tensors[k] for k in own if k in tensors}, strict=False)


def init_hf(model, seed):
    """DebertaV2PreTrainedModel._init_weights: normal(0, initializer_range) for linear and embedding weights, zero
    biases, the padding row of the word embeddings zero; LayerNorm left at 1/0."""
    g = torch.Generator().manual_seed(seed)
    std = model.cfg.get("initializer_range", 0.02)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                continue
            if name.endswith("bias"):
                p.zero_()
            else:
                p.copy_(torch.randn(p.shape, generator=g) * std)
        model.deberta.embeddings.word_embeddings.weight[model.cfg.get("pad_token_id", 0)].zero_()


def load_model(folder, strict_head=True):
    cfg = read_config(folder)
    model = DebertaClassifier(cfg, cfg.get("num_labels", len(cfg.get("id2label", {})) or 2))
    model.load(load_safetensors(os.path.join(folder, "model.safetensors")), strict_head)
    model.eval()
    return model


def cmd_make(a):
    os.makedirs(a.out, exist_ok=True)
    args = argparse.Namespace(out=a.out, texts=a.texts, pieces=1500, max_length=128)
    vocab_size = max(unigram.cmd_make(args), a.vocab_size)
    h = a.hidden
    cfg = {"architectures": ["DebertaV2ForMaskedLM"], "model_type": "deberta-v2", "vocab_size": vocab_size, "hidden_size": h,
           "num_hidden_layers": a.layers, "num_attention_heads": a.heads, "intermediate_size": a.intermediate or 2 * h, "hidden_act": "gelu",
           "hidden_dropout_prob": a.dropout, "attention_probs_dropout_prob": a.dropout, "max_position_embeddings": 128,
           "type_vocab_size": a.types, "initializer_range": a.initializer_range, "layer_norm_eps": 1e-7, "relative_attention": True,
           "max_relative_positions": a.max_relative, "position_buckets": a.buckets, "norm_rel_ebd": "layer_norm",
           "share_att_key": not a.own_position_projections, "pos_att_type": "p2c|c2p",
           "position_biased_input": a.absolute_positions, "pad_token_id": 0, "pooler_dropout": 0, "pooler_hidden_act": "gelu",
           "pooler_hidden_size": h, "transformers_version": "4.46.0"}
    labels = a.labels.split(",") if a.labels else []
    if labels:
        cfg.update(architectures=["DebertaV2ForSequenceClassification"], id2label={str(i): l for i, l in enumerate(labels)},
                   label2id={l: i for i, l in enumerate(labels)})
    model = DebertaClassifier(cfg, max(2, len(labels)))
    init_hf(model, a.seed)
    tensors = {k: v for k, v in model.state_dict().items() if labels or not k.startswith(("classifier.", "pooler."))}
    save_safetensors(os.path.join(a.out, "model.safetensors"), tensors)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


def cmd_tokenize(a):
    tok = unigram.load(a.dir)
    print(json.dumps([tok.encode(t, a.max_length) for t in json.load(sys.stdin)]))


def cmd_golden(a):
    model, tok = load_model(a.dir, strict_head=False), unigram.load(a.dir)
    # A base checkpoint has no pooler/classifier: give the goldens a seeded head, saved beside the weights.
    labels = 6
    model.classifier = nn.Linear(model.cfg["hidden_size"], labels)
    g = torch.Generator().manual_seed(1234)
    with torch.no_grad():
        for p in list(model.pooler.parameters()) + list(model.classifier.parameters()):
            p.copy_(torch.randn(p.shape, generator=g) * 0.2)
    tensors = load_safetensors(os.path.join(a.dir, "model.safetensors"))
    tensors.update({k: v for k, v in model.state_dict().items() if k.startswith(("classifier.", "pooler."))})
    save_safetensors(os.path.join(a.dir, "model.safetensors"), tensors)
    cfg = dict(model.cfg, architectures=["DebertaV2ForSequenceClassification"], id2label={str(i): f"LABEL_{i}" for i in range(labels)},
               label2id={f"LABEL_{i}": i for i in range(labels)})
    with open(os.path.join(a.dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    model.eval()
    torch_encoders.print_goldens(model, tok, a)


def cmd_buckets(a):
    d = torch.arange(-2 * a.max_relative, 2 * a.max_relative + 1)
    print(json.dumps({"from": -2 * a.max_relative, "buckets": log_bucket(d, a.buckets, a.max_relative).tolist()}))


def cmd_as_published(a):
    import collections
    import shutil
    os.makedirs(a.out, exist_ok=True)
    for name in os.listdir(a.dir):
        if name not in ("model.safetensors", "tokenizer.json"):
            shutil.copy(os.path.join(a.dir, name), os.path.join(a.out, name))
    cfg = json.load(open(os.path.join(a.dir, "config.json")))
    h, g = cfg["hidden_size"], torch.Generator().manual_seed(7)
    tensors = collections.OrderedDict(load_safetensors(os.path.join(a.dir, "model.safetensors")))
    extra = {"deberta.embeddings.position_embeddings.weight": [cfg["max_position_embeddings"], h],
             "lm_predictions.lm_head.bias": [cfg["vocab_size"]], "lm_predictions.lm_head.dense.weight": [h, h],
             "lm_predictions.lm_head.dense.bias": [h], "lm_predictions.lm_head.LayerNorm.weight": [h],
             "lm_predictions.lm_head.LayerNorm.bias": [h], "mask_predictions.dense.weight": [h, h],
             "mask_predictions.dense.bias": [h], "mask_predictions.classifier.weight": [1, h], "mask_predictions.classifier.bias": [1]}
    for name, shape in extra.items():
        tensors[name] = torch.randn(shape, generator=g)
    tensors["deberta.embeddings.position_ids"] = torch.arange(cfg["max_position_embeddings"]).unsqueeze(0)
    torch.save(tensors, os.path.join(a.out, "pytorch_model.bin"))


def main():
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    m.add_argument("--texts", nargs="+", required=True)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--hidden", type=int, default=32)
    m.add_argument("--heads", type=int, default=2)
    m.add_argument("--intermediate", type=int, default=0, help="default 2 × hidden")
    m.add_argument("--vocab-size", type=int, default=0)
    m.add_argument("--initializer-range", type=float, default=0.2)
    m.add_argument("--labels", default="")
    m.add_argument("--buckets", type=int, default=8)
    m.add_argument("--max-relative", type=int, default=64)
    m.add_argument("--own-position-projections", action="store_true")
    m.add_argument("--absolute-positions", action="store_true")
    m.add_argument("--types", type=int, default=0)
    m.add_argument("--dropout", type=float, default=0.1)
    torch_encoders.add_folder_commands(sub, ("tokenize", "logits", "golden", "train"))
    b = sub.add_parser("buckets")
    b.add_argument("buckets", type=int)
    b.add_argument("max_relative", type=int)
    c = sub.add_parser("as-published")
    c.add_argument("dir")
    c.add_argument("out")
    a = p.parse_args()
    if a.cmd == "train":
        return torch_encoders.cmd_train(a, load_model)
    if a.cmd == "logits":
        return torch_encoders.cmd_logits(a, load_model, unigram.load)
    {"make": cmd_make, "tokenize": cmd_tokenize, "golden": cmd_golden, "buckets": cmd_buckets,
     "as-published": cmd_as_published}[a.cmd](a)


if __name__ == "__main__":
    main()
