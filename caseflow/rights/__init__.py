"""Survivors' data rights (Ley 29733): access and portability (export), cancellation
(erasure by crypto-shredding) and retention."""
