"""DKIM key pairs made with ``cryptography``, and writing them safely.

The private key is PKCS#8 PEM (unencrypted: mail servers load it unattended), the
public key a PEM SubjectPublicKeyInfo file for both types (``public_key_file:``
reads it; for Ed25519 the record publishes the raw key, RFC 8463 §4.2). The
private key file is created with mode 0600 and never over an existing file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from dnsspec.dkim.keys import (
    MAX_RSA_BITS,
    RECOMMENDED_RSA_BITS,
    DkimKeyError,
    KeyType,
    dns_key_from_pem,
)
from dnsspec.dkim.syntax import DkimRecord

RSA_BITS = (1024, 2048, 3072, 4096)  # 1024 only for receivers stuck on it; lint warns


@dataclass(frozen=True)
class KeyPair:
    """A generated key pair: the PEM files' bytes and the record's ``p=`` bytes."""

    key_type: KeyType
    bits: int
    private_pem: bytes  # PKCS#8
    public_pem: bytes  # SubjectPublicKeyInfo
    public_key: bytes  # what p= carries

    def __repr__(self) -> str:  # never print the private key by accident
        return f"KeyPair(key_type={self.key_type!r}, bits={self.bits})"

    def record(self) -> DkimRecord:
        return DkimRecord(self.key_type, self.public_key)


def generate(key_type: KeyType = "rsa", bits: int = RECOMMENDED_RSA_BITS) -> KeyPair:
    """A new key pair; ``bits`` applies to RSA (one of :data:`RSA_BITS`)."""
    private: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
    if key_type == "rsa":
        if bits not in RSA_BITS or bits > MAX_RSA_BITS:
            raise DkimKeyError(
                f"--bits {bits}: RSA keys are made with 1024, 2048, 3072 or 4096 bits",
                hint=f"--bits {RECOMMENDED_RSA_BITS}",
            )
        private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    elif key_type == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
        bits = 256
    else:
        raise DkimKeyError(f"unknown key type {key_type!r}", hint="--type rsa or --type ed25519")
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(key_type, bits, private_pem, public_pem, dns_key_from_pem(public_pem, key_type))


def write_private_key(path: Path, pem: bytes) -> None:
    """Create ``path`` with mode 0600 holding ``pem``; an existing file is never replaced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise DkimKeyError(
            f"{path} exists; dnsspec never overwrites a private key",
            hint="choose another --private-key path, or move the old key away yourself",
        ) from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, pem)
    finally:
        os.close(fd)


def write_public_key(path: Path, pem: bytes) -> None:
    """Create ``path`` (mode 0644) holding the public PEM; an existing file is never replaced."""
    try:
        with path.open("xb") as handle:
            handle.write(pem)
    except FileExistsError:
        raise DkimKeyError(
            f"{path} exists; dnsspec does not overwrite a key file",
            hint="pick a new selector (keys are rotated under a new selector name)",
        ) from None


def private_key_path_problem(path: Path, zones_dir: Path | None = None) -> tuple[str, str] | None:
    """(message, hint) when ``path`` is no safe place for a new private key, else ``None``.

    Refused: an existing file (never overwritten), a path inside ``zones_dir`` (specs
    are committed and shared), and a path git would track, i.e. inside a git work
    tree and not ignored (``git check-ignore``). When git is not installed or the
    directory is no work tree, only the first two checks apply.
    """
    if path.exists() or path.is_symlink():
        return (
            f"{path} exists; dnsspec never overwrites a private key",
            "choose a new --private-key path, e.g. one named after the new selector",
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return f"{parent} is not a directory", "create the directory first (mode 0700)"
    resolved = parent.resolve() / path.name
    if zones_dir is not None:
        zones = zones_dir.resolve()
        if resolved == zones or zones in resolved.parents:
            return (
                f"{path} is inside {zones_dir}/, which holds the specs everyone reads",
                "keep private keys outside the repository, e.g. --private-key "
                f"/etc/dkim/{path.name}",
            )
    if _git_would_track(resolved):
        return (
            f"git would track {path}: it is inside a work tree and not ignored",
            f"add '{path.name}' to .gitignore, or write the key outside the repository",
        )
    return None


def _git_would_track(path: Path) -> bool:
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return False
    inside = subprocess.run(
        [git, "-C", str(path.parent), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return False
    ignored = subprocess.run(
        [git, "-C", str(path.parent), "check-ignore", "-q", "--no-index", path.name],
        capture_output=True,
        check=False,
        timeout=10,
    )
    return ignored.returncode != 0  # 0: ignored; 1: not ignored (git would track it)
