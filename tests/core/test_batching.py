"""The one keyset walk: every row once, in key order, resumable, whatever the batch size."""

from sqlalchemy import select

from caseflow.core.batching import keyset_batches
from caseflow.directory.models import Organization
from caseflow.extensions import db
from testkit.factories import OrganizationFactory


def test_a_walk_reads_every_row_once_in_key_order_even_where_the_first_key_ties(app):
    made = [OrganizationFactory(sector="cem" if i % 2 else "health") for i in range(7)]
    db.session.commit()
    expected = sorted(((o.sector, o.id) for o in made))
    for batch in (1, 2, 3, 7, 50):
        batches = list(keyset_batches(select(Organization.sector, Organization.id),
                                      [Organization.sector, Organization.id], batch))
        assert [(r.sector, r.id) for rows in batches for r in rows] == expected
        assert all(len(rows) <= batch for rows in batches)


def test_a_walk_resumes_after_a_stored_key_and_may_stop_on_a_short_batch(app):
    ids = sorted(o.id for o in [OrganizationFactory() for _ in range(5)])
    db.session.commit()
    rest = list(keyset_batches(select(Organization.id), [Organization.id], 2, after=ids[1], scalars=True,
                               until_short=True))
    assert rest == [ids[2:4], ids[4:]]
    entities = [o.id for rows in keyset_batches(select(Organization), [Organization.id], 3, scalars=True)
                for o in rows]
    assert entities == ids
