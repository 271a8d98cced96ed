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


def _copy_default_model(directory: Path) -> None:
    import shutil

    model, tokenizer = encoder.model_files()
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, directory / "model.onnx")
    shutil.copyfile(tokenizer, directory / "tokenizer.json")


def _write_pooling(directory: Path, mode: str, under: str = "1_Pooling") -> Path:
    """A sentence-transformers Pooling config (as its exports ship it) choosing ``mode``."""
    import json

    modes = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "lasttoken")
    config = {"word_embedding_dimension": 384} | {f"pooling_mode_{m}": m == mode for m in modes}
    (directory / under).mkdir(parents=True, exist_ok=True)
    path = directory / under / "config.json"
    path.write_text(json.dumps(config))
    return path


def _first_token_vector(directory: Path, text: str) -> object:
    """The reference for CLS pooling: the model's first output token for ``text``, unit length."""
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.no_padding()  # the file may pad to a fixed length
    ids = tokenizer.encode(text).ids
    session = ort.InferenceSession(str(directory / "model.onnx"))
    feeds = {"input_ids": np.array([ids]), "attention_mask": np.ones((1, len(ids)), np.int64)}
    if "token_type_ids" in {i.name for i in session.get_inputs()}:
        feeds["token_type_ids"] = np.zeros((1, len(ids)), np.int64)
    first = session.run(None, feeds)[0][0, 0]
    return first / np.linalg.norm(first)


def test_a_model_directory_pools_as_its_sentence_transformers_config_says(
    network_off, tmp_path
) -> None:
    _copy_default_model(tmp_path)
    _write_pooling(tmp_path, "cls_token")
    text = "Set up BGP peering"
    vector = encoder.Encoder(tmp_path).encode([text])[0]
    assert abs(vector - _first_token_vector(tmp_path, text)).max() < 1e-5
    assert abs(vector - encoder.Encoder().encode([text])[0]).max() > 1e-2  # not mean pooling


def test_the_pooling_module_is_found_where_modules_json_puts_it(network_off, tmp_path) -> None:
    import json

    _copy_default_model(tmp_path)
    _write_pooling(tmp_path, "cls_token", under="pool")
    _write_pooling(tmp_path, "mean_tokens")  # not the one modules.json names
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "pool", "type": "sentence_transformers.models.Pooling"},
        {
            "idx": 2,
            "name": "2",
            "path": "2_Normalize",
            "type": "sentence_transformers.models.Normalize",
        },
    ]
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    text = "Baked cakes"
    vector = encoder.Encoder(tmp_path).encode([text])[0]
    assert abs(vector - _first_token_vector(tmp_path, text)).max() < 1e-5


def test_a_model_directory_without_a_pooling_config_pools_by_mean(network_off, tmp_path) -> None:
    _copy_default_model(tmp_path)
    texts = ["Set up BGP peering", "Baked cakes"]
    assert (
        abs(encoder.Encoder(tmp_path).encode(texts) - encoder.Encoder().encode(texts)).max() < 1e-5
    )


def test_each_pooling_keeps_its_own_criterion_vector_cache(tmp_path) -> None:
    _copy_default_model(tmp_path)
    mean = encoder.Encoder(tmp_path).model_id
    _write_pooling(tmp_path, "cls_token")
    assert encoder.Encoder(tmp_path).model_id != mean


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (
            lambda d: _write_pooling(d, "max_tokens"),
            r"1_Pooling/config\.json asks for max_tokens pooling: SkillGrid pools by cls_token "
            r"or mean_tokens; export the model with one of them",
        ),
        (
            lambda d: _write_pooling(d, "none"),
            r"1_Pooling/config\.json names no pooling mode: set one pooling_mode_",
        ),
        (
            lambda d: (d / "modules.json").write_text("[{"),
            r"modules\.json is not valid JSON .*: fix or remove it",
        ),
        (
            lambda d: (
                (d / "1_Pooling").mkdir() or (d / "1_Pooling" / "config.json").write_text("7")
            ),
            r"1_Pooling/config\.json is not a sentence-transformers pooling config: "
            r"fix or remove it",
        ),
        (
            lambda d: (d / "modules.json").write_text(
                '[{"path": "gone", "type": "sentence_transformers.models.Pooling"}]'
            ),
            r"gone/config\.json is missing: give the model directory a sentence-transformers "
            r"pooling config there, or remove modules\.json",
        ),
    ],
    ids=["unsupported mode", "no mode", "broken modules.json", "not a config", "pool missing"],
)
def test_a_pooling_config_that_cannot_be_followed_is_refused_with_what_to_do(
    tmp_path, write, message
) -> None:
    _copy_default_model(tmp_path)
    write(tmp_path)
    with pytest.raises(encoder.EmbeddingsUnavailable, match=message):
        encoder.Encoder(tmp_path).encode(["x"])
