"""Units' passwords: which ones an accounts file may hold, and how the password file stores them.

The hash is SHA-512-crypt (``$6$``), through libpass (``passlib.hash``). nginx's ``auth_basic`` checks a
password with the system's crypt(3) (glibc or libxcrypt), which reads ``$6$`` on every Linux server. It
uses crypt(3)'s default of 5,000 rounds, as ``openssl passwd -6`` and ``mkpasswd -m sha-512`` do: nginx
computes the hash again, in its worker, for every request of a restricted page.

Hashes written before keep working: a previous ``$6$`` hash that matches the password is kept as it is,
whatever its salt and rounds; anything else (another scheme, a damaged line) is replaced by a new hash.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from passlib.hash import sha512_crypt

MIN_PASSWORD = 8
#: SHA-512-crypt hashes the password once per character of it: the work grows with the square of the
#: length (30,000 characters took 4 seconds and, in the hand-written hash used before, about 900 MB).
#: No one types more than this.
MAX_PASSWORD = 128
#: libxcrypt, which nginx calls on Debian, refuses a password of 512 bytes or more: no one could log in.
MAX_PASSWORD_BYTES = 511
PASSWORD_RULE = (
    f"密码 {MIN_PASSWORD} 到 {MAX_PASSWORD} 个字符，含字母、数字、符号中的至少两类，不含账号或单位代码，"
    "不用使用说明中的示例密码"
)
ROUNDS = 5000
_HASHER = sha512_crypt.using(rounds=ROUNDS)
#: Control, format (zero-width, bidirectional) and lone surrogate characters: nobody can type them.
_UNTYPABLE = ("Cc", "Cf", "Cs")


def password_problem(password: str, account: str, unit: str | None, examples: Collection[str] = ()) -> str:
    """What is wrong with a password, or ``""``. ``examples``: passwords printed in the documentation."""
    if not password:
        return "密码是空的"
    if len(password) > MAX_PASSWORD:
        return f"密码太长（{len(password)} 个字符，最多 {MAX_PASSWORD} 个）"
    if any(unicodedata.category(c) in _UNTYPABLE for c in password):
        return "密码中有制表符、零宽字符或其他控制字符"
    size = len(password.encode("utf-8"))
    if size > MAX_PASSWORD_BYTES:
        return f"密码太长（按 UTF-8 编码有 {size} 字节，nginx 最多接受 {MAX_PASSWORD_BYTES} 字节）"
    if len(password) < MIN_PASSWORD:
        return f"密码太短（{len(password)} 个字符）"
    if password in examples:
        return "密码是使用说明中印出的示例密码，谁都能看到"
    kinds = sum(
        (
            any(c.isascii() and c.isalpha() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        )
    )
    if kinds < 2:
        return "密码只有一类字符（只有字母、只有数字或只有符号）"
    lowered = password.lower()
    for word in (account, unit or ""):
        if len(word) >= 3 and word.lower() in lowered:
            return f"密码中含有账号或单位代码「{word}」，容易猜到"
    return ""


def verify_password(password: str, hashed: str) -> bool:
    """Whether ``hashed`` is a well-formed SHA-512-crypt hash of ``password`` (UTF-8)."""
    if not sha512_crypt.identify(hashed):
        return False
    try:
        return bool(sha512_crypt.verify(password, hashed))
    except ValueError:  # damaged after "$6$"; or a password over libpass's own limit of 4,096 bytes
        return False


def hash_password(password: str, previous: str | None = None) -> str:
    """A new hash with a random salt, or ``previous`` when it is already this password's."""
    if previous and verify_password(password, previous):
        return previous
    return str(_HASHER.hash(password))
