"""Key operations on a live system: KEK rotation, re-encryption, blind-index rebuilds,
verification and ciphertext-only backups. See docs/operations.md for the operator's steps."""
