"""Makes ask-sdk-webservice-support importable on current Linux systems (applied when the
`webservice` package is imported).

The SDK checks Alexa's certificate chain with certvalidator, which loads oscrypto. oscrypto 1.3.0,
its last release, reads the OpenSSL version with a pattern that allows one digit per part, so on
any OpenSSL whose patch number has two ("OpenSSL 3.0.19", Debian 12, Ubuntu 24.04 and later) it
refuses to load, and with it the SDK's verifier and web-service handler (oscrypto issue 78, fixed
in its repository but never released). When, and only when, that exact failure happens, this
loads oscrypto's libcrypto binding once more with the fixed pattern (`\\d+` for each part), as
the upstream fix does. Nothing else changes; the verification itself is the SDK's.
"""

from __future__ import annotations

import importlib.util
import sys

_BROKEN = r"re.search('\\b(\\d\\.\\d\\.\\d[a-z]*)\\b', version_string)"
_FIXED = r"re.search('\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b', version_string)"
_FAILURE = "Error detecting the version of libcrypto"


def load_oscrypto() -> None:
    """Import oscrypto's asymmetric module, fixing its OpenSSL version check if that is what
    stops it."""
    try:
        import oscrypto.asymmetric  # noqa: F401
        return
    except Exception as error:  # oscrypto.errors.LibraryNotFoundError
        if _FAILURE not in str(error):
            raise
    from oscrypto import ffi

    name = f"oscrypto._openssl._libcrypto_{ffi()}"
    spec = importlib.util.find_spec(name)
    source = spec.loader.get_source(name)
    if _BROKEN not in source:
        raise ImportError(f"{name} fails to read the OpenSSL version in a way this fix does "
                          "not know; upgrade oscrypto")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        exec(compile(source.replace(_BROKEN, _FIXED), spec.origin, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    import oscrypto.asymmetric  # noqa: F401,F811
