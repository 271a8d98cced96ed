"""The embedding backend: the packaged ONNX model, with the network off (skipped only when
the embeddings extra is not installed)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from skillgrid.domain.statements import split_statements
from skillgrid.domain.suggestions import rank
from skillgrid.importers import read_ladder
from skillgrid.suggest import encoder

pytestmark = pytest.mark.skipif(
    not encoder.available(), reason="the embeddings extra is not installed"
)


@pytest.fixture
def network_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection can be opened, and Hugging Face libraries are told to stay offline."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_packaged_model_encodes_offline_to_unit_vectors(network_off) -> None:
    vectors = encoder.Encoder().encode(["Set up BGP peering", "Baked cakes", "x" * 3000])
    assert vectors.shape == (3, 384)
    assert abs(float((vectors**2).sum(axis=1).max()) - 1.0) < 1e-4
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_embeddings_find_criteria_that_share_no_words(network_off, seed_bytes, tmp_path) -> None:
    from skillgrid.suggest.matcher import Matcher

    framework = read_ladder(seed_bytes, "sre.tsv").framework
    matcher = Matcher(framework, "hybrid", tmp_path)
    found = split_statements(
        "- Peered our racks with the upstream routers over BGP for anycast\n"
        "- Went on holiday to Spain\n"
    )
    ranked = rank(
        found,
        matcher.scores([s.text for s in found]).tolist(),
        matcher.criteria,
        3,
        matcher.threshold,
    )
    assert "NET.3.5" in [s.criterion for s in ranked[0].suggestions]
    assert ranked[1].no_match
    assert list(Path(tmp_path).glob("criteria-*.npy"))  # criterion vectors cached on disk


def test_cached_criterion_vectors_are_reused(network_off, tmp_path) -> None:
    from skillgrid.suggest.matcher import Matcher
    from tests.unit.test_suggestion_services import LADDER

    framework = read_ladder(LADDER, "ops.csv").framework
    first = Matcher(framework, "embedding", tmp_path)
    (cached,) = Path(tmp_path).glob("criteria-*.npy")
    stamp = cached.stat().st_mtime_ns
    second = Matcher(framework, "embedding", tmp_path)
    assert cached.stat().st_mtime_ns == stamp
    text = ["Wrote the postmortem for the payment outage"]
    assert (first.scores(text) == second.scores(text)).all()


def test_the_default_model_reads_the_tokenizer_shipped_inside_skillgrid() -> None:
    import skillgrid

    model, tokenizer = encoder.model_files()
    assert tokenizer.is_relative_to(Path(skillgrid.__file__).parent / "data")
    assert model.name == "model.onnx"


def test_a_model_directory_replaces_the_packaged_model(network_off, tmp_path) -> None:
    import shutil

    model, tokenizer = encoder.model_files()
    shutil.copyfile(model, tmp_path / "model.onnx")
    shutil.copyfile(tokenizer, tmp_path / "tokenizer.json")
    chosen = encoder.Encoder(tmp_path)
    assert chosen.model_id != encoder.Encoder().model_id  # its own criterion-vector cache
    texts = ["Set up BGP peering", "Baked cakes"]
    assert abs(chosen.encode(texts) - encoder.Encoder().encode(texts)).max() < 1e-5


def test_a_model_directory_without_its_files_is_refused_with_what_to_do(tmp_path) -> None:
    import pytest

    with pytest.raises(encoder.EmbeddingsUnavailable, match=r"model\.onnx is missing: give"):
        encoder.Encoder(tmp_path).encode(["x"])
