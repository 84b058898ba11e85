"""Querysets whose SQL is compiled once per process and afterwards only executed.

On the scoring page, opened for every nominee, Django building and compiling the querysets
(subqueries, joins, annotations) took longer than PostgreSQL running them. `compiled` builds
a queryset once with stand-in ids, keeps its SQL and the places of the stand-ins among its
parameters, and from then on only puts the real ids in those places.

For querysets whose SQL depends on nothing but the *number* of ids they are given: every
argument is an id (an int) or a tuple of ids, each used as a value the query compares with,
never to choose a branch in Python.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

Ids = int | tuple[int, ...]

# Ids no table reaches, inside a 32-bit integer so that no lookup treats them as out of range.
_STAND_IN_BASE = 2_000_000_000


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.model: type[Model] | None = None
        self._compiled: dict[tuple, tuple[str, tuple, list[tuple[int, str, int | None]]]] = {}

    def _compile(self, shape: tuple, arguments: dict[str, Ids]):
        stand_ins: dict[int, tuple[str, int | None]] = {}
        built: dict[str, Ids] = {}
        for name, value in arguments.items():
            if isinstance(value, tuple):
                built[name] = tuple(self._stand_in(stand_ins, name, i) for i in range(len(value)))
            else:
                built[name] = self._stand_in(stand_ins, name, None)
        queryset = self.build(**built)
        self.model = queryset.model
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        slots = [
            (position, *stand_ins[param])
            for position, param in enumerate(params)
            if isinstance(param, int) and param in stand_ins
        ]
        # A stand-in missing from the parameters was written into the SQL or turned into
        # something else: its real value would never reach the query.
        if {(name, index) for _, name, index in slots} != set(stand_ins.values()):
            raise ValueError(f"{self.build.__name__}: an argument is not a plain parameter")
        self._compiled[shape] = (sql, tuple(params), slots)

    @staticmethod
    def _stand_in(stand_ins: dict, name: str, index: int | None) -> int:
        value = _STAND_IN_BASE + len(stand_ins)
        stand_ins[value] = (name, index)
        return value

    def sql(self, **arguments: Ids) -> tuple[str, list[Any]]:
        """The SQL and its parameters for these ids."""
        shape = (
            connection.vendor,
            *sorted(
                (name, len(value) if isinstance(value, tuple) else None)
                for name, value in arguments.items()
            ),
        )
        if shape not in self._compiled:
            self._compile(shape, arguments)
        sql, params, slots = self._compiled[shape]
        filled = list(params)
        for position, name, index in slots:
            value = arguments[name]
            filled[position] = value if index is None else value[index]  # type: ignore[index]
        return sql, filled

    def rows(self, **arguments: Ids) -> list[tuple]:
        """The rows of a `values_list` queryset, as tuples, without Django's converters: for
        columns of text and numbers."""
        with connection.cursor() as cursor:
            cursor.execute(*self.sql(**arguments))
            return cursor.fetchall()

    def objects(self, **arguments: Ids) -> list:
        """The queryset's model instances, its annotations as attributes; no select_related."""
        sql, params = self.sql(**arguments)
        assert self.model is not None
        return list(self.model._default_manager.raw(sql, params))


def compiled(build: Callable[..., QuerySet]) -> CompiledQuery:
    """Decorator: `build(**ids)` returns the queryset; see the module's docstring."""
    return CompiledQuery(build)
