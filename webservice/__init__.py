"""The skill hosted as an HTTPS web service instead of on AWS Lambda: a hosting mode of its own,
outside the Lambda artifact, with its own dependencies (`pip install '.[web]'`).

- `webservice.app`: the WSGI app, `webservice.app:application` for any WSGI server.
- `webservice.checks`: Alexa's checks that need no network (skill id, timestamp).
- `webservice.signature`: the signature check and the certificate chains it downloads.
- `webservice.server`: the development server of `make serve` (`python -m webservice`).
- `webservice.oscrypto_fix`: lets the SDK's verifier load on current OpenSSL.

The skill itself is `skill.app`'s, the same code Lambda runs; nothing under `skill/` imports this
package. How to host it and what it checks: docs/web-service.md.
"""

from webservice.oscrypto_fix import load_oscrypto

# Before any module of this package imports the SDK's verifier, which cannot load without it on
# current OpenSSL.
load_oscrypto()
