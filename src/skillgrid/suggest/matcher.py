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
from typing import TYPE_CHECKING, Any

from skillgrid.domain.framework import Framework
from skillgrid.domain.suggestions import criterion_phrases, terms
from skillgrid.suggest import encoder as encoding
from skillgrid.suggest.examples import builtin_examples

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

BACKENDS: tuple[str, ...] = ("auto", "lexical", "embedding", "hybrid")
# Scores below these say "no good match"; calibrated on tests/data/evidence_dev.yaml by
# bench/evidence_eval.py (see docs/performance.md). The hybrid's: one step below the lowest
# real line of the development sets of SRE (its built-in examples) and of Snowflake and Monzo
# with two examples per criterion (#15; 0.475 on SRE alone turned away 5 of 36 Snowflake lines).
THRESHOLDS = {"lexical": 0.55, "embedding": 0.275, "hybrid": 0.375}
# For criteria without examples (a custom ladder's): the thresholds as calibrated on the bare
# criterion texts; such a criterion's scores are shifted by the difference, so one threshold
# serves a ladder whose criteria have examples, one whose criteria have none, and a mix. The
# hybrid's: one step below the lowest real line of the development sets of three ladders
# without examples (SRE, Snowflake, Monzo; #15): on a bare ladder, real and unrelated lines
# score alike, so the page shows weak suggestions rather than turn real lines away.
BARE_THRESHOLDS = {"lexical": 0.4, "embedding": 0.275, "hybrid": 0.125}
# The hybrid's share of the saturated BM25 score (the rest is the embedding score) for a
# criterion with examples, chosen by cross-validation over both labelled sets. A criterion
# without examples scores its embedding score plus BARE_LEXICAL_WEIGHT × BM25, as before the
# examples grew.
LEXICAL_SHARE = 0.65
BARE_LEXICAL_WEIGHT = 0.1
WHOLE_WEIGHT = 0.3  # of the whole criterion text; the rest goes to its best phrase or example
MEMO_SIZE = 50_000  # learned examples' vectors kept per process and ladder (~75 MB at 384 dims)


def resolve(backend: str) -> str:
    """The backend to use: ``auto`` is hybrid with the embeddings extra, lexical without."""
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if backend == "auto":
        return "hybrid" if encoding.available() else "lexical"
    return backend


class Matcher:
    """Scores texts (rows) against the criteria (columns) of one framework version.

    A criterion's examples are its own (``Criterion.examples``, from the ladder file or the
    admin) and, for the built-in ladder, those of ``skillgrid.suggest.examples``. Examples
    learned from accepted evidence change with every acceptance, so they are not part of the
    matcher: :meth:`scores` takes them per call (criterion id → statements).
    """

    def __init__(
        self,
        framework: Framework,
        backend: str,
        cache_dir: Path | None,
        examples: Mapping[str, Sequence[str]] | None = None,
        model_dir: Path | None = None,
    ) -> None:
        self.backend = backend
        self.threshold = THRESHOLDS[backend]
        self.criteria = [c.id for c in framework.criteria]
        builtin = builtin_examples() if examples is None else examples
        self._texts = [c.text for c in framework.criteria]
        self._examples = [(*c.examples, *builtin.get(c.text, ())) for c in framework.criteria]
        tracks = {t.key: t.name for t in framework.tracks}
        contexts = [f"{tracks[c.track]}: {c.text}" for c in framework.criteria]
        self._lexical = backend in ("lexical", "hybrid")
        self._bm25 = _Bm25(self._texts, self._examples) if self._lexical else None
        self._semantic = (
            _Semantic(contexts, self._texts, self._examples, cache_dir, model_dir)
            if backend in ("embedding", "hybrid")
            else None
        )

    def scores(
        self, texts: Sequence[str], learned: Mapping[str, Sequence[str]] | None = None
    ) -> NDArray[np.float32]:
        """Texts × criteria; ``learned`` adds examples (by criterion id) for this call."""
        import numpy as np

        extra = [tuple(learned.get(i, ())) for i in self.criteria] if learned else None
        examples = (
            [(*own, *more) for own, more in zip(self._examples, extra, strict=True)]
            if extra
            else self._examples
        )
        with_examples = np.array([bool(e) for e in examples])
        lexical = None
        if self._lexical:
            index = _Bm25(self._texts, examples) if extra else self._bm25
            assert index is not None
            lexical = index.scores(texts)
        total: NDArray[np.floating[Any]]
        if self._semantic is None:
            assert lexical is not None
            total = lexical
        else:
            total = self._semantic.scores(texts, extra)
            if lexical is not None:
                semantic_weight = np.where(with_examples, 1 - LEXICAL_SHARE, 1.0)
                lexical_weight = np.where(with_examples, LEXICAL_SHARE, BARE_LEXICAL_WEIGHT)
                total = semantic_weight * total + lexical_weight * lexical
        # criteria without examples: their scores onto the scale of the threshold
        shift = np.where(with_examples, 0.0, self.threshold - BARE_THRESHOLDS[self.backend])
        result: NDArray[np.float32] = (total + shift).astype(np.float32)
        return result


class _Bm25:
    def __init__(self, texts: list[str], examples: Sequence[Sequence[str]]) -> None:
        from rank_bm25 import BM25Okapi

        # One document per criterion: its text and its examples.
        documents = [terms(" ".join([t, *e])) for t, e in zip(texts, examples, strict=True)]
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
    """A criterion scores WHOLE_WEIGHT × its whole text's similarity (the mean of the bare
    text's and the text under its track name's) plus the rest × its best phrase's (a part of
    its lists, the text under its track name, or an example)."""

    def __init__(
        self,
        contexts: list[str],
        texts: list[str],
        examples: Sequence[Sequence[str]],
        cache_dir: Path | None,
        model_dir: Path | None,
    ) -> None:
        import numpy as np

        self._encoder = encoding.shared_encoder(model_dir)
        phrases: list[str] = []
        owners: list[int] = []
        for index, (context, text) in enumerate(zip(contexts, texts, strict=True)):
            for phrase in [context, *criterion_phrases(text), *examples[index]]:
                phrases.append(phrase)
                owners.append(index)
        # Phrases are grouped by criterion, each group starting with its context and text.
        self._starts = np.array([owners.index(i) for i in range(len(texts))])
        self._vectors = _cached_vectors(self._encoder, phrases, cache_dir)
        self._learned = _VectorMemo(self._encoder)

    def scores(
        self, texts: Sequence[str], learned: Sequence[Sequence[str]] | None
    ) -> NDArray[np.float32]:
        import numpy as np

        statements = self._encoder.encode(list(texts))
        similarity = statements @ self._vectors.T
        best = np.maximum.reduceat(similarity, self._starts, axis=1)
        whole = (similarity[:, self._starts] + similarity[:, self._starts + 1]) / 2
        if learned:
            vectors = self._learned.vectors([t for group in learned for t in group])
            taught = statements @ vectors.T if len(vectors) else similarity[:, :0]
            start = 0
            for index, group in enumerate(learned):
                if group:
                    found = taught[:, start : start + len(group)].max(axis=1)
                    best[:, index] = np.maximum(best[:, index], found)
                    start += len(group)
        mixed = WHOLE_WEIGHT * whole + (1 - WHOLE_WEIGHT) * best
        result: NDArray[np.float32] = mixed.astype(np.float32)
        return result


class _VectorMemo:
    """Vectors of learned examples, each encoded once per process (at most MEMO_SIZE kept)."""

    def __init__(self, encoder: encoding.Encoder) -> None:
        self._encoder = encoder
        self._known: dict[str, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def vectors(self, texts: list[str]) -> NDArray[np.float32]:
        import numpy as np

        with self._lock:
            found = {t: self._known[t] for t in texts if t in self._known}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self._encoder.encode(missing), strict=True))
            with self._lock:
                if len(self._known) + len(missing) > MEMO_SIZE:
                    self._known.clear()
                self._known.update((t, found[t]) for t in missing)
        return np.array([found[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def _cached_vectors(
    encoder: encoding.Encoder, phrases: list[str], cache_dir: Path | None
) -> NDArray[np.float32]:
    import numpy as np

    digest = hashlib.sha256("\n".join([encoder.model_id, *phrases]).encode()).hexdigest()
    path = cache_dir / f"criteria-{digest[:32]}.npy" if cache_dir else None
    if path is not None and path.is_file():
        try:
            stored: NDArray[np.float32] = np.load(path, allow_pickle=False)
            if stored.shape[0] == len(phrases):
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


_matchers: dict[tuple[str, int | None, str, str, str], Matcher] = {}
_lock = threading.Lock()


def matcher_for(
    framework: Framework,
    backend: str = "auto",
    cache_dir: Path | None = None,
    model_dir: Path | None = None,
) -> Matcher:
    """The process's matcher for this framework version, backend and model (built on first
    use)."""
    chosen = resolve(backend)
    texts = "\n".join(f"{c.id}\t{c.text}\t{c.examples}" for c in framework.criteria)
    digest = hashlib.sha256(texts.encode()).hexdigest()
    key = (framework.name, framework.version, digest, chosen, str(model_dir))
    with _lock:
        found = _matchers.get(key)
        if found is None:
            found = _matchers[key] = Matcher(framework, chosen, cache_dir, model_dir=model_dir)
        return found
