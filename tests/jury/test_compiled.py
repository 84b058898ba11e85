"""A compiled query answers each call with that call's ids, however often its SQL is reused,
and refuses a queryset that does not take an id as a parameter."""

import pytest
from django.db.models import F

from jury.selectors.compiled import compiled
from nominations.models import Edition
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


@compiled
def _years(*, edition_ids: tuple[int, ...]):
    return Edition.objects.filter(pk__in=edition_ids).order_by("year").values_list("year")


@compiled
def _edition(*, edition_id: int):
    return Edition.objects.filter(pk=edition_id)


def test_each_call_reads_its_own_ids_from_sql_compiled_once():
    first, second, third = (EditionFactory(year=year) for year in (2031, 2032, 2033))

    assert _edition.objects(edition_id=first.pk) == [first]
    compiled_sql = _edition.sql(edition_id=first.pk)[0]
    assert _edition.objects(edition_id=second.pk) == [second]
    assert _edition.sql(edition_id=second.pk)[0] is compiled_sql

    assert _years.rows(edition_ids=(third.pk, first.pk)) == [(2031,), (2033,)]
    assert _years.rows(edition_ids=(second.pk,)) == [(2032,)]
    assert _years.rows(edition_ids=(first.pk, second.pk, third.pk)) == [
        (2031,),
        (2032,),
        (2033,),
    ]


def test_an_id_written_into_the_sql_is_refused():
    @compiled
    def inline(*, edition_id: int):
        return Edition.objects.all()[:edition_id]

    @compiled
    def transformed(*, edition_id: int):
        return Edition.objects.annotate(next_id=F("pk") + 1).filter(next_id=edition_id + 1)

    for query in (inline, transformed):
        with pytest.raises(ValueError, match="not a plain parameter"):
            query.sql(edition_id=1)
