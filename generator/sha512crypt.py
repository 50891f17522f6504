"""SHA-512-crypt (``$6$``), as glibc's crypt(3) checks it (Ulrich Drepper's specification).

nginx's auth_basic checks passwords with the system's crypt(3); this writes the hashes it accepts,
without plain text or MD5, and without depending on Python's deprecated crypt module.
"""

from __future__ import annotations

import hashlib
import re
import secrets

CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DEFAULT_ROUNDS = 5000
_SHA512_CRYPT = re.compile(r"^\$6\$(?:rounds=(?P<rounds>\d+)\$)?(?P<salt>[^$]{0,16})\$(?P<hash>[./0-9A-Za-z]{86})$")


def sha512_crypt(password: str, salt: str, rounds: int = DEFAULT_ROUNDS) -> str:
    """``$6$salt$hash`` of ``password`` (UTF-8), as ``openssl passwd -6`` and glibc's crypt(3) compute it."""
    p, s = password.encode("utf-8"), salt.encode("ascii")[:16]
    rounds = min(max(rounds, 1000), 999_999_999)
    b = hashlib.sha512(p + s + p).digest()
    a = hashlib.sha512(p + s)
    left = len(p)
    while left > 64:
        a.update(b)
        left -= 64
    a.update(b[:left])
    bits = len(p)
    while bits:
        a.update(b if bits & 1 else p)
        bits >>= 1
    c = a.digest()
    p_bytes = (hashlib.sha512(p * len(p)).digest() * (len(p) // 64 + 1))[: len(p)]
    s_bytes = hashlib.sha512(s * (16 + c[0])).digest()[: len(s)]
    sha512 = hashlib.sha512
    for i in range(rounds):
        h = sha512(p_bytes if i & 1 else c)
        if i % 3:
            h.update(s_bytes)
        if i % 7:
            h.update(p_bytes)
        h.update(c if i & 1 else p_bytes)
        c = h.digest()
    out: list[str] = []
    for i in range(21):
        triple = (i, i + 21, i + 42)
        x, y, z = triple[i % 3 :] + triple[: i % 3]
        out.append(_b64(c[x] << 16 | c[y] << 8 | c[z], 4))
    out.append(_b64(c[63], 2))
    prefix = "$6$" if rounds == DEFAULT_ROUNDS else f"$6$rounds={rounds}$"
    return prefix + s.decode("ascii") + "$" + "".join(out)


def _b64(value: int, count: int) -> str:
    chars = []
    for _ in range(count):
        chars.append(CRYPT_ALPHABET[value & 63])
        value >>= 6
    return "".join(chars)


def verify_password(password: str, hashed: str) -> bool:
    m = _SHA512_CRYPT.match(hashed)
    if m is None:
        return False
    rounds = int(m["rounds"]) if m["rounds"] else DEFAULT_ROUNDS
    return secrets.compare_digest(sha512_crypt(password, m["salt"], rounds), hashed)


def hash_password(password: str, previous: str | None = None) -> str:
    """A new SHA-512-crypt hash with a random salt, or ``previous`` when it is already this password's."""
    if previous and verify_password(password, previous):
        return previous
    return sha512_crypt(password, "".join(secrets.choice(CRYPT_ALPHABET) for _ in range(16)))
