"""Key operations run beside live requests: a throttle keeps them to a share of the time.

A fixed pause between batches was either too short or too long: rotation batches became
one statement each and ran so fast that a pause sized for the old ones left live reads
waiting behind back-to-back batches. Resting in proportion to the work just done adapts by
itself: to the batch size, to the database, and to how busy the server already is (a batch
that took longer because requests compete earns a longer rest).
"""

from __future__ import annotations

import time
from contextlib import contextmanager

#: Work a third of the time, rest the remainder: the commands' default. Half the time was
#: the default until get case became twice as fast (2026-11-30): the rotation's absolute cost
#: to a live read did not change, but against the faster read it passed the 1.5× target on
#: PostgreSQL (1.56–1.60×); a third measured 1.36–1.41×. 1.0 is flat out, for a quiet window.
DEFAULT_SHARE = 0.33


class Throttle:
    def __init__(self, share: float = DEFAULT_SHARE, pause: float = 0.0, *, sleep=time.sleep, clock=time.monotonic):
        if not 0 < share <= 1:
            raise ValueError("share must be above 0 and at most 1")
        if pause < 0:
            raise ValueError("pause must not be negative")
        self.share, self.pause = share, pause
        self._sleep, self._clock = sleep, clock

    @contextmanager
    def step(self):
        """Around one unit of work (a batch, a survivor): afterwards, rest long enough that
        work takes ``share`` of the time, plus any fixed ``pause``."""
        started = self._clock()
        yield
        worked = self._clock() - started
        rest = worked * (1 - self.share) / self.share + self.pause
        if rest > 0:
            self._sleep(rest)


#: For callers (tests, benchmarks of the bare rate) that want no rest at all.
FLAT_OUT = Throttle(share=1.0)
