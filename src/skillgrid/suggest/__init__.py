"""Scoring statements against criteria: sentence embeddings (ONNX MiniLM), BM25, or both."""
