"""Matchers: score statements against the criteria of one framework version.

- ``lexical``: BM25 (rank-bm25) over word stems of each criterion's text and examples;
  always available.
- ``embedding``: cosine similarity of all-MiniLM-L6-v2 vectors; a criterion scores 0.3 × its
  whole text's similarity plus 0.7 × its best phrase's: a part of its lists (see
  ``criterion_phrases``) or one of its examples (see ``skillgrid.suggest.examples``).
- ``hybrid``: a weighted sum of the embedding score and the saturated BM25 score. For a
  criterion with examples the BM25 share is large (``LEXICAL_SHARE``): its examples carry the
  tools and jargon people write ("SELinux", "KubeCon", "SOC 2"), which the small model does
  not connect to the ladder's words, while the model still matches paraphrases. For a
  criterion without examples BM25 sees only the ladder's own words and gets a small share
  (``BARE_LEXICAL_SHARE``); its scores are shifted so that both kinds of criterion meet the
  "no good match" threshold at the same confidence. The default when the embeddings extra
  is installed; ``lexical`` otherwise.

Criterion vectors are computed once per framework version and kept in memory and in a cache
file named by a hash of the model id and the criterion texts. Matchers are built once per
process and version (behind a lock) and are safe to share between threads.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from skillgrid.domain.framework import Framework
from skillgrid.domain.suggestions import criterion_phrases, terms
from skillgrid.suggest import encoder as encoding
from skillgrid.suggest.examples import builtin_examples

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

BACKENDS: tuple[str, ...] = ("auto", "lexical", "embedding", "hybrid")
# Scores below these say "no good match"; calibrated on tests/data/evidence_dev.yaml by
# bench/evidence_eval.py (see docs/performance.md).
THRESHOLDS = {"lexical": 0.55, "embedding": 0.275, "hybrid": 0.475}
# For criteria without examples (a custom ladder's): the thresholds as calibrated on the bare
# criterion texts; such a criterion's scores are shifted by the difference, so one threshold
# serves a ladder whose criteria have examples, one whose criteria have none, and a mix.
BARE_THRESHOLDS = {"lexical": 0.4, "embedding": 0.275, "hybrid": 0.275}
# The hybrid's share of the saturated BM25 score (the rest is the embedding score) for a
# criterion with examples, chosen by cross-validation over both labelled sets. A criterion
# without examples scores its embedding score plus BARE_LEXICAL_WEIGHT × BM25, as before the
# examples grew.
LEXICAL_SHARE = 0.65
BARE_LEXICAL_WEIGHT = 0.1
WHOLE_WEIGHT = 0.3  # of the whole criterion text; the rest goes to its best phrase or example


def resolve(backend: str) -> str:
    """The backend to use: ``auto`` is hybrid with the embeddings extra, lexical without."""
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if backend == "auto":
        return "hybrid" if encoding.available() else "lexical"
    return backend


class Matcher:
    """Scores texts (rows) against the criteria (columns) of one framework version."""

    def __init__(
        self,
        framework: Framework,
        backend: str,
        cache_dir: Path | None,
        examples: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.backend = backend
        self.threshold = THRESHOLDS[backend]
        self.criteria = [c.id for c in framework.criteria]
        texts = [c.text for c in framework.criteria]
        if examples is None:
            examples = builtin_examples()
        self._lexical = _Bm25(texts, examples) if backend in ("lexical", "hybrid") else None
        self._semantic = (
            _Semantic(texts, examples, cache_dir) if backend in ("embedding", "hybrid") else None
        )
        # Per criterion: the BM25 share in the hybrid and the shift that puts its scores on
        # the scale of the threshold.
        with_examples = [bool(examples.get(t)) for t in texts]
        self._semantic_weight = [1 - LEXICAL_SHARE if e else 1.0 for e in with_examples]
        self._lexical_weight = [LEXICAL_SHARE if e else BARE_LEXICAL_WEIGHT for e in with_examples]
        bare_shift = self.threshold - BARE_THRESHOLDS[backend]
        self._shift = [0.0 if e else bare_shift for e in with_examples]

    def scores(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        if self._semantic is None:
            assert self._lexical is not None
            total = self._lexical.scores(texts)
        elif self._lexical is None:
            total = self._semantic.scores(texts)
        else:
            total = np.array(self._semantic_weight, dtype=np.float32) * self._semantic.scores(texts)
            total += np.array(self._lexical_weight, dtype=np.float32) * self._lexical.scores(texts)
        result: NDArray[np.float32] = (total + np.array(self._shift, dtype=np.float32)).astype(
            np.float32
        )
        return result


class _Bm25:
    def __init__(self, texts: list[str], examples: Mapping[str, Sequence[str]]) -> None:
        from rank_bm25 import BM25Okapi

        # One document per criterion: its text and its examples.
        documents = [terms(" ".join([t, *examples.get(t, ())])) for t in texts]
        self._index = BM25Okapi([d or ["_"] for d in documents])
        # The score that maps to 0.5: about one rare word's weight in a ladder of this size,
        # so thresholds hold for a 10-criterion ladder and a 300-criterion one alike.
        self._half = max(1.0, math.log(len(texts) + 1))

    def scores(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        raw = np.array([self._index.get_scores(terms(t)) for t in texts], dtype=np.float32)
        raw = raw.reshape(len(texts), -1).clip(min=0.0)
        result: NDArray[np.float32] = raw / (raw + self._half)
        return result


class _Semantic:
    def __init__(
        self, texts: list[str], examples: Mapping[str, Sequence[str]], cache_dir: Path | None
    ) -> None:
        import numpy as np

        self._encoder = encoding.shared_encoder()
        phrases: list[str] = []
        owners: list[int] = []
        for index, text in enumerate(texts):
            for phrase in [*criterion_phrases(text), *examples.get(text, ())]:
                phrases.append(phrase)
                owners.append(index)
        # Phrases are grouped by criterion, each group starting with the whole text.
        self._whole = np.array([owners.index(i) for i in range(len(texts))])
        self._vectors = _cached_vectors(self._encoder, phrases, cache_dir)

    def scores(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        similarity = self._encoder.encode(list(texts)) @ self._vectors.T
        best = np.maximum.reduceat(similarity, self._whole, axis=1)
        mixed = WHOLE_WEIGHT * similarity[:, self._whole] + (1 - WHOLE_WEIGHT) * best
        result: NDArray[np.float32] = mixed.astype(np.float32)
        return result


def _cached_vectors(
    encoder: encoding.Encoder, phrases: list[str], cache_dir: Path | None
) -> NDArray[np.float32]:
    import numpy as np

    digest = hashlib.sha256("\n".join([encoder.model_id, *phrases]).encode()).hexdigest()
    path = cache_dir / f"criteria-{digest[:32]}.npy" if cache_dir else None
    if path is not None and path.is_file():
        try:
            stored: NDArray[np.float32] = np.load(path, allow_pickle=False)
            if stored.shape == (len(phrases), 384):
                return stored
        except (OSError, ValueError):
            pass  # a damaged cache file is recomputed below
    vectors = encoder.encode(phrases)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.stem}.{threading.get_ident()}.tmp.npy")
            np.save(partial, vectors, allow_pickle=False)
            partial.replace(path)
        except OSError:
            pass  # a read-only cache directory only costs the recomputation next time
    return vectors


_matchers: dict[tuple[str, int | None, str, str], Matcher] = {}
_lock = threading.Lock()


def matcher_for(
    framework: Framework, backend: str = "auto", cache_dir: Path | None = None
) -> Matcher:
    """The process's matcher for this framework version and backend (built on first use)."""
    chosen = resolve(backend)
    texts = "\n".join(f"{c.id}\t{c.text}" for c in framework.criteria)
    key = (framework.name, framework.version, hashlib.sha256(texts.encode()).hexdigest(), chosen)
    with _lock:
        found = _matchers.get(key)
        if found is None:
            found = _matchers[key] = Matcher(framework, chosen, cache_dir)
        return found
