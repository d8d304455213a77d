"""Key operations rest in proportion to their work, so a live service keeps its database."""

from __future__ import annotations

import pytest

from caseflow.keys import rotation
from caseflow.keys.throttle import DEFAULT_SHARE, Throttle
from testkit.factories import UserFactory, make_survivor


class FakeTime:
    def __init__(self):
        self.now, self.rests = 100.0, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.rests.append(seconds)
        self.now += seconds


def _work(throttle, fake, seconds):
    with throttle.step():
        fake.now += seconds


def test_it_rests_in_proportion_to_the_work_just_done():
    fake = FakeTime()
    half = Throttle(0.5, sleep=fake.sleep, clock=fake.clock)
    _work(half, fake, 0.2)
    _work(half, fake, 1.0)  # a batch slowed by a busy server earns a longer rest
    assert fake.rests == pytest.approx([0.2, 1.0])
    quarter = Throttle(0.25, pause=0.05, sleep=fake.sleep, clock=fake.clock)
    _work(quarter, fake, 0.1)
    assert fake.rests[-1] == pytest.approx(0.3 + 0.05)
    flat_out = Throttle(1.0, sleep=fake.sleep, clock=fake.clock)
    _work(flat_out, fake, 0.5)
    assert len(fake.rests) == 3
    # By default a key operation works about a third of the time: it rests twice its work.
    by_default = Throttle(sleep=fake.sleep, clock=fake.clock)
    _work(by_default, fake, 0.3)
    assert fake.rests[-1] == pytest.approx(0.3 * (1 - DEFAULT_SHARE) / DEFAULT_SHARE)
    assert fake.rests[-1] == pytest.approx(0.6, rel=0.05)


@pytest.mark.parametrize("share", [0, -0.5, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ValueError):
        Throttle(share)


def test_rotation_rests_after_every_batch(app, ring_file):
    worker = UserFactory()
    for _ in range(5):
        make_survivor(worker)
    fake = FakeTime()

    def ticking():  # every batch seems to take 0.1 s of work
        fake.now += 0.05
        return fake.now

    report = rotation.rotate(batch=2, grace=0, throttle=Throttle(0.5, sleep=fake.sleep, clock=ticking))
    assert report.rewrapped == 5
    # Two passes (before and after the grace): three batches of work and an empty read, then
    # an empty read; a rest after each.
    assert fake.rests == pytest.approx([0.05] * 5)


@pytest.mark.parametrize("command", [["crypto", "rotate-kek"], ["crypto", "reencrypt"]])
def test_the_commands_refuse_a_share_of_nothing(app, ring_file, runner, command):
    result = runner.invoke(args=[*command, "--share", "0", "--grace", "0"])
    assert result.exit_code == 2 and "--share" in result.output
