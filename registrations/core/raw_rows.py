"""One row of plain SQL as a model instance, as ``Model.objects.raw(...)`` builds it, without its per-query set-up.

``RawQuerySet`` works out for every query which column is which field, and builds a query compiler to find
the fields' converters: for the one-row statements read on every page and every submission that costs more
than turning the row into a model. Here it is worked out once per model and statement (its columns) and kept.
Columns that are not fields (counts, flags) become attributes, as with ``raw()``.
"""

from django.db import connections
from django.db.models import Model
from django.db.models.sql import Query

from registrations.core.pipeline import sent_together

# (database connection, model, statement) -> (field attnames, their column positions, converters, extra columns)
_plans: dict[tuple, tuple] = {}


def _plan(alias: str, model: type[Model], names: tuple[str, ...]) -> tuple:
    connection = connections[alias]
    fields = model._meta.concrete_fields
    missing = [field.column for field in fields if field.column not in names]
    if missing:
        raise ValueError(f"The row has no column for {', '.join(missing)}: select every column of {model._meta.db_table}")
    positions = [names.index(field.column) for field in fields]
    compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, alias)
    converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in fields])
    columns = {field.column for field in fields}
    extras = [(position, name) for position, name in enumerate(names) if name not in columns]
    return [field.attname for field in fields], positions, converters, compiler, extras


def selected_columns(model: type[Model], alias: str, *, using: str = "default") -> str:
    """Every column of ``model``'s table, named (``alias."column", ...``), for the SELECT of a ``raw_first`` statement.

    Named rather than ``alias.*``: a prepared statement (server-side binding) keeps its result's shape, and
    PostgreSQL refuses to run it again once a migration has added a column to the table ("cached plan must
    not change result type"), which ``*`` would do to the processes still running the previous release."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def raw_first(model: type[Model], sql: str, params: list, *, using: str = "default", preceded_by: tuple[str, list] | None = None) -> Model | None:
    """The first row of ``sql`` as a ``model`` instance (every column of its table selected), or None.

    ``preceded_by``: a statement (sql, params) to run just before, whose answer is not read. On PostgreSQL both are sent in
    one message (pipeline mode) and answered together: the server runs ``sql`` as soon as the first statement returns
    (a lock granted, say), without waiting for this process to read that answer and send the next statement. Each
    statement still takes its own snapshot (read committed), as two round trips would."""
    connection = connections[using]
    key = (connection, model, sql)  # a connection per thread: converters are given their own
    with connection.cursor() as cursor:  # connected and health-checked here, before any pipeline
        if preceded_by is None:
            cursor.execute(sql, params)
        else:
            with sent_together(connection):
                cursor.execute(*preceded_by)
                cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        plan = _plans.get(key)
        if plan is None:  # the columns of a statement are known once it ran (psycopg builds them on every ask)
            if len(_plans) > 64:
                _plans.clear()
            plan = _plans[key] = _plan(using, model, tuple(column[0] for column in cursor.description))
    attnames, positions, converters, compiler, extras = plan
    values = [row[position] for position in positions]
    if converters:
        values = next(iter(compiler.apply_converters([values], converters)))
    instance = model.from_db(using, attnames, values)
    for position, name in extras:
        setattr(instance, name, row[position])
    return instance
