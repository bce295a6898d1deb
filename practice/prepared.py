"""Querysets compiled once per process and run with new values.

Building a queryset (filters, annotations, ordering) and compiling it to SQL can cost several
times more than running it, on the pages served most often. Where the SQL differs between
requests only by a few ids, a `PreparedQuery` builds and compiles the queryset once per
database, with marker values standing for the ids, and then runs that SQL with the request's
ids put where the markers were. Rows come back as the ORM's `values_list` would give them:
the database's converters (aware datetimes from SQLite, for example) are applied; or, for a
queryset of model instances, as the instances iterating it would give, with the relations it
`select_related` filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.models import FETCH_ONE, Model, QuerySet
from django.db.models.query import get_related_populators

# Stand for the values in the SQL compiled once. Ids are never negative, so none of these can
# be confused with a real parameter.
MARKERS = (-7_654_321, -7_654_322, -7_654_323, -7_654_324)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, ...], ...]  # for each marker, where it sits in `params`
    width: int  # the selected columns (some backends add ordering columns after them)
    query: object  # django.db.models.sql.Query
    columns: list  # the selected expressions, whose converters turn values into Python's
    select: list  # the compiler's, for building model instances from a row
    klass_info: dict | None  # the model and related models a row holds; None for values
    annotation_columns: dict  # annotation name -> its column in a row


def model_field_names(model, names: set[str]) -> tuple[str, ...]:
    """`names` (attnames) in the model's field order: the order `Model.from_db` takes a row's
    values in when only some fields are read."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


class PreparedQuery:
    """`build(*values)` (a `values_list` queryset) compiled once per database alias.

    `build` is called once per alias, with marker integers in place of the values, so it must
    use each value only as a query parameter (filters on ids), never to decide the shape of
    the query.
    """

    def __init__(self, build: Callable[..., QuerySet], arity: int = 1):
        if not 1 <= arity <= len(MARKERS):
            raise ValueError(f"a prepared query takes 1 to {len(MARKERS)} values")
        self._build = build
        self._markers = MARKERS[:arity]
        self._compiled: dict[str, _Compiled] = {}
        # Per connection (one per alias and thread): the converters its compiler found, which
        # are the connection's own: [(column, (functions, expression))].
        self._converters: WeakKeyDictionary = WeakKeyDictionary()

    def queryset(self, *values: int) -> QuerySet:
        """The queryset itself, built for these values: what `rows` must agree with."""
        return self._build(*values)

    def rows(self, *values: int, using: str = "default") -> list[tuple]:
        return self._run(values, using)[1]

    def objects(self, *values: int, using: str = "default") -> list[Model]:
        """The model instances of a queryset of instances (not `values_list`), as iterating
        it in the default fetch mode gives them: the relations it `select_related` are set,
        annotations are attributes."""
        compiled, rows = self._run(values, using)
        klass_info = compiled.klass_info
        if klass_info is None:
            raise TypeError("objects() needs a queryset of model instances")
        model = klass_info["model"]
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        field_names = [column[0].target.attname for column in compiled.select[first:last]]
        related = get_related_populators(klass_info, compiled.select, using, FETCH_ONE)
        instances = []
        for row in rows:
            instance = model.from_db(using, field_names, row[first:last], fetch_mode=FETCH_ONE)
            for populator in related:
                populator.populate(row, instance)
            for name, column in compiled.annotation_columns.items():
                setattr(instance, name, row[column])
            instances.append(instance)
        return instances

    def first(self, *values: int, using: str = "default") -> Model | None:
        """The first of `objects`, or None when there is none."""
        found = self.objects(*values, using=using)
        return found[0] if found else None

    def _run(self, values: tuple[int, ...], using: str) -> tuple[_Compiled, list[tuple]]:
        if len(values) != len(self._markers):
            raise TypeError(f"expected {len(self._markers)} values, got {len(values)}")
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        for slots, value in zip(compiled.slots, values, strict=True):
            for slot in slots:
                params[slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        width = compiled.width
        # Converted with this thread's connection, as the ORM's own iteration would.
        converters = self._converters.get(connection)
        if converters is None:
            compiler = compiled.query.get_compiler(connection=connection)
            converters = self._converters[connection] = list(
                compiler.get_converters(compiled.columns).items()
            )
        if not rows:
            return compiled, []
        if not converters:
            return compiled, [row[:width] for row in rows]
        # A column at a time: the same converters as the ORM's `apply_converters`, without
        # copying every row into a list and back, which costs more than converting.
        columns = list(zip(*rows, strict=True))[:width]
        for position, (functions, expression) in converters:
            column = columns[position]
            for function in functions:
                column = [function(value, expression, connection) for value in column]
            columns[position] = column
        return compiled, list(zip(*columns, strict=True))

    def _compile(self, using: str) -> _Compiled:
        query = self._build(*self._markers).query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple(
            tuple(at for at, param in enumerate(params) if param == marker)
            for marker in self._markers
        )
        if not all(slots):
            raise ValueError("every value must appear in the query as a parameter")
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            width=compiler.col_count,
            query=query,
            columns=[expression for expression, _, _ in compiler.select[: compiler.col_count]],
            select=compiler.select,
            # A values() or values_list() query selects columns, not instances.
            klass_info=None if query.values_select else compiler.klass_info,
            annotation_columns=compiler.annotation_col_map or {},
        )
        self._compiled[using] = compiled
        return compiled
