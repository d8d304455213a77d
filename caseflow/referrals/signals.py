"""What happens to referrals, announced for the features built on them (blinker). Referrals
sit below statistics in the layers: they announce, statistics subscribes in its
``init_app``; a receiver runs in the same unit of work as the sender."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: ``referral_sent.send(referral)``: a referral (or an onward referral) was sent, flushed.
referral_sent = _signals.signal("referral-sent")
#: ``referral_moved.send(referral, status=...)``: its status changed (``completed_at`` is set
#: when it was completed), flushed.
referral_moved = _signals.signal("referral-moved")
