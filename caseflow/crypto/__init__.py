"""Field encryption: keyring, AEAD format, envelope data keys, blind indexes.

See docs/security.md for the design and its reasons.
"""
