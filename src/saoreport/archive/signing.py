"""Ed25519 signatures of archived manifests, with the `cryptography` package (PyCA).

The user keeps the private key (PEM, made with
`openssl genpkey -algorithm ed25519 -out archive-key.pem`) and hands the public key
(`openssl pkey -in archive-key.pem -pubout -out archive-key.pub.pem`) to whoever verifies.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from saoreport.errors import UsageError

SIGNATURE = "manifest.sig"


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise UsageError(
            "signing needs the cryptography package: pip install 'saoreport[sign]'"
        ) from None
    return serialization


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the key: {exc.strerror}") from None


def _private(path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    serialization = _crypto()
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: an Ed25519 key is needed (openssl genpkey -algorithm ed25519)")
    return key


def _public(path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    serialization = _crypto()
    data = _read(path)
    if b"PRIVATE KEY" in data:
        return _private(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{path}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path}: an Ed25519 public key is needed")
    return key


def sign(manifest: bytes, key_file: Path) -> bytes:
    """The signature file's bytes: base64 of the Ed25519 signature of *manifest*."""
    return base64.b64encode(_private(key_file).sign(manifest)) + b"\n"


def check_key(key_file: Path) -> None:
    """Fail early (before any work) if *key_file* cannot sign."""
    _private(key_file)


def verified(manifest: bytes, signature: bytes, key_file: Path) -> bool:
    from cryptography.exceptions import InvalidSignature

    key = _public(key_file)
    try:
        key.verify(base64.b64decode(signature.strip(), validate=True), manifest)
    except (InvalidSignature, ValueError):
        return False
    return True
