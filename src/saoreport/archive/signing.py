"""Ed25519 signatures of archived manifests, with the `cryptography` package (PyCA).

The user keeps the private key (PEM, made with
`openssl genpkey -algorithm ed25519 -out archive-key.pem`) and hands the public key
(`openssl pkey -in archive-key.pem -pubout -out archive-key.pub.pem`) to whoever verifies.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from saoreport.errors import UsageError, printable
from saoreport.messages import _

SIGNATURE = "manifest.sig"


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise UsageError(
            _(
                "signing needs the cryptography package: install it with"
                " pip install 'saoreport[sign]'"
            )
        ) from None
    return serialization


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            _(
                "{path}: cannot read the key ({why}): check the file named by --key",
                path=printable(str(path)),
                why=exc.strerror or exc,
            )
        ) from None


def _private(path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    serialization = _crypto()
    shown = printable(str(path))
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except TypeError:  # the key is encrypted: a password would be needed
        raise UsageError(
            _(
                "{path}: this key is protected by a password; saoreport signs with a key"
                " without one: make one with openssl genpkey -algorithm ed25519 -out"
                " archive-key.pem",
                path=shown,
            )
        ) from None
    except ValueError:
        raise UsageError(
            _(
                "{path}: not a PEM private key: name the private key file (make one with"
                " openssl genpkey -algorithm ed25519 -out archive-key.pem)",
                path=shown,
            )
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(
            _(
                "{path}: an Ed25519 key is needed: make one with openssl genpkey -algorithm"
                " ed25519 -out archive-key.pem",
                path=shown,
            )
        )
    return key


def _public(path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    serialization = _crypto()
    data = _read(path)
    if b"PRIVATE KEY" in data:
        return _private(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise UsageError(
            _(
                "{path}: not a PEM public key: name the archive's public key file (made with"
                " openssl pkey -in archive-key.pem -pubout -out archive-key.pub.pem)",
                path=printable(str(path)),
            )
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(
            _(
                "{path}: an Ed25519 public key is needed: name the public key of the key the"
                " archive was signed with",
                path=printable(str(path)),
            )
        )
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
