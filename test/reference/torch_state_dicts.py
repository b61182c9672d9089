"""Writes PyTorch .bin fixtures for the safe .bin reader's tests (run with Debian's /usr/bin/python3 + torch).

    torch_state_dicts.py twin OUT_DIR     state dicts in every layout torch.save writes (zip, legacy, protocol 4,
                                          sharded with an index) and their safetensors twin, written by hand
    torch_state_dicts.py hostile OUT_DIR MARKER
                                          pickles whose loading would run code that creates MARKER
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import torch

SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
                      torch.float64: "F64", torch.int32: "I32"}


def write_safetensors(path, tensors):
    """The safetensors format (8-byte header length, JSON header, raw little-endian bytes), written without the
    safetensors package so the twin is independent of our writer."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def state_dict():
    g = torch.Generator().manual_seed(3)
    word = torch.randn(11, 6, generator=g)
    base = torch.randn(6, 4, generator=g)
    sd = OrderedDict()
    sd["embeddings.word_embeddings.weight"] = word
    sd["embeddings.position_ids"] = torch.arange(9, dtype=torch.int64).unsqueeze(0)
    sd["layer.dense.weight"] = base.t()  # a transposed view: strides (1, 4)
    sd["layer.dense.bias"] = torch.randn(4, generator=g).double()
    sd["layer.half"] = torch.randn(3, 5, generator=g).half()
    sd["layer.bf16"] = torch.randn(7, generator=g).bfloat16()
    sd["decoder.weight"] = word  # tied: the same storage twice
    sd["slice"] = torch.randn(10, generator=g)[3:8]  # a view with a storage offset
    sd["scalar"] = torch.tensor(2.5)
    sd._metadata = OrderedDict([("", {"version": 1})])  # what module.state_dict() attaches
    return sd


def twin(out):
    sd = state_dict()
    os.makedirs(out, exist_ok=True)
    torch.save(sd, os.path.join(out, "zip.bin"))
    torch.save(sd, os.path.join(out, "legacy.bin"), _use_new_zipfile_serialization=False)
    torch.save(sd, os.path.join(out, "protocol4.bin"), pickle_protocol=4)
    # nn.Parameter values, as torch.save(model) parts sometimes hold.
    torch.save(OrderedDict((k, torch.nn.Parameter(v.float(), requires_grad=False)) for k, v in list(sd.items())[:3]), os.path.join(out, "params.bin"))
    write_safetensors(os.path.join(out, "twin.safetensors"), sd)
    # A sharded checkpoint as transformers writes it.
    names = list(sd.keys())
    shards = {"pytorch_model-00001-of-00002.bin": names[:4], "pytorch_model-00002-of-00002.bin": names[4:]}
    os.makedirs(os.path.join(out, "sharded"), exist_ok=True)
    weight_map = {}
    for file, keys in shards.items():
        torch.save(OrderedDict((k, sd[k].clone()) for k in keys), os.path.join(out, "sharded", file))
        weight_map.update({k: file for k in keys})
    with open(os.path.join(out, "sharded", "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f)


class RunsCommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, ("touch " + self.marker,))


class Evaluates:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (eval, ("open(%r, 'w').close()" % self.marker,))


def hostile(out, marker):
    os.makedirs(out, exist_ok=True)
    w = torch.zeros(2, 2)
    torch.save(OrderedDict([("w", w), ("x", RunsCommand(marker))]), os.path.join(out, "system.bin"))
    torch.save(OrderedDict([("w", w), ("x", Evaluates(marker))]), os.path.join(out, "eval-protocol4.bin"), pickle_protocol=4)
    torch.save(OrderedDict([("x", RunsCommand(marker))]), os.path.join(out, "system-legacy.bin"), _use_new_zipfile_serialization=False)


if __name__ == "__main__":
    if sys.argv[1] == "twin":
        twin(sys.argv[2])
    elif sys.argv[1] == "hostile":
        hostile(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: torch_state_dicts.py twin OUT | hostile OUT MARKER")
