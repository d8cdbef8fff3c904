"""``Model.save(force_insert=True)`` for a new row, with the INSERT statement built once per model and kept.

For the three rows every submission writes under the seat lock (the registration, its first status change,
its outbox message): Django builds the INSERT afresh on every save (a query, a compiler, every column's
placeholder and quoting), which cost about as much CPU as sending and running it. Here Django's own compiler
builds the statement for a model's columns once; each insert still does what ``save()`` does for a new row:
related objects checked (``_prepare_related_fields_for_save``), ``pre_save`` and ``post_save`` sent, every
field's ``pre_save`` (auto_now dates) and ``get_db_prep_save`` (JSON, dates) applied, the database's returned
columns (the id) set through their converters, the instance marked saved, a failed insert marking the
transaction for rollback. A model or a value this does not cover (a parent model, a custom ``save()``,
ordering by ``order_with_respect_to``, an expression as a value) is saved by ``save()`` itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

from registrations.core.pipeline import commits_here, sent_together

# (connection, model, column attnames) -> (sql, returning fields, their converters, the compiler that applies them)
_statements: dict[tuple, tuple] = {}


def _plain(model: type[Model]) -> bool:
    meta = model._meta
    return not (meta.parents or meta.proxy or meta.auto_created or meta.order_with_respect_to) and model.save is Model.save


def _statement(connection, instance: Model, fields: list) -> tuple:
    model = type(instance)
    query = InsertQuery(model)
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = returning = model._meta.db_returning_fields
    [(sql, params)] = compiler.as_sql()
    if len(params) != len(fields):  # a column with its own placeholder: not covered
        return None
    converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in returning])
    return sql, returning, converters, compiler


def _prepared(instance: Model, using: str, *, unsaved_parent: str | None = None) -> list:
    """What ``save()`` does before its INSERT: related objects checked (but ``unsaved_parent``, inserted with it),
    ``pre_save`` sent, the pk given a value if its field makes one. Returns the fields to insert."""
    model, meta = type(instance), instance._meta
    # A set: Django tests each concrete field's membership in it (a list made that quadratic in Field.__eq__).
    checked = None if unsaved_parent is None else {field for field in meta.concrete_fields if field.name != unsaved_parent}
    instance._prepare_related_fields_for_save(operation_name="save", fields=checked)
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    if not instance._is_pk_set(meta):
        setattr(instance, meta.pk.attname, meta.pk.get_pk_value_on_save(instance))
    pk_set = instance._is_pk_set(meta)
    return [field for field in meta.local_concrete_fields if not field.generated and (pk_set or field is not meta.auto_field)]


def _values(instance: Model, fields: list, connection) -> list | None:
    """Every field's ``pre_save`` (auto_now dates), then its value for the database; None: an expression among
    them, left to Django's compiler."""
    values = [field.pre_save(instance, add=True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        return None
    return [field.get_db_prep_save(value, connection=connection) for field, value in zip(fields, values, strict=True)]


def _kept_statement(connection, instance: Model, fields: list):
    key = (connection, type(instance), tuple(field.attname for field in fields))
    statement = _statements.get(key, False)
    if statement is False:  # built before the values are taken: the compiler runs the fields' pre_save too
        if len(_statements) > 64:
            _statements.clear()
        statement = _statements[key] = _statement(connection, instance, fields)
    return statement


def _returned(statement, row) -> list:
    """The returned columns through their converters (the statement's)."""
    _, _, converters, compiler = statement
    return list(next(iter(compiler.apply_converters([row], converters)))) if converters else list(row)


def _insert_row(instance: Model, fields: list, connection, using: str) -> list:
    """The INSERT itself, from the kept statement (or Django's compiler for what it does not cover); the returned columns."""
    statement = _kept_statement(connection, instance, fields)
    params = _values(instance, fields, connection) if statement is not None else None
    if params is None:
        results = type(instance)._base_manager._insert([instance], fields=fields, returning_fields=instance._meta.db_returning_fields, using=using)
        return list(results[0]) if results else []
    with connection.cursor() as cursor:
        cursor.execute(statement[0], params)
        return _returned(statement, cursor.fetchone())


def _saved(instance: Model, using: str, row: list) -> None:
    """What ``save()`` does after its INSERT: the returned columns set, the instance marked saved, ``post_save`` sent."""
    for value, field in zip(row, instance._meta.db_returning_fields, strict=False):
        setattr(instance, field.attname, value)
    instance._state.db = using
    instance._state.adding = False
    post_save.send(sender=type(instance), instance=instance, created=True, update_fields=None, raw=False, using=using)


def insert(instance: Model, *, using: str = "default") -> Model:
    """Insert ``instance`` (a new row) as ``instance.save(force_insert=True, using=using)`` would; return it."""
    connection = connections[using]
    if not _plain(type(instance)) or not connection.features.can_return_columns_from_insert:
        instance.save(force_insert=True, using=using)
        return instance
    fields = _prepared(instance, using)
    with transaction.mark_for_rollback_on_error(using=using):
        row = _insert_row(instance, fields, connection, using)
    _saved(instance, using, row)
    return instance


@dataclass
class PreparedRow:
    """A new row's fields and values, taken before a lock by ``row_prepared`` (or ``child_prepared``: ``link`` is then
    its foreign key to ``insert_linked``'s parent); ``late``: the positions of the fields whose values
    ``insert_linked`` takes again (those a decision under the lock sets)."""

    instance: Model
    fields: list
    statement: tuple | None
    values: list | None
    late: list[int]
    link: str | None = None


def row_prepared(instance: Model, *, late: tuple[str, ...], using: str = "default") -> PreparedRow | None:
    """What ``insert_linked`` does for its parent row before the INSERT (related objects checked, ``pre_save`` sent,
    every field's value for the database), done now: for a row inserted under a lock, so that under it only the
    ``late`` fields (attnames) are taken again. None where ``insert_linked`` would not use its one statement.
    ``pre_save`` is sent and the auto_now dates are set now, whether or not the insert follows."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not _plain(type(instance)):
        return None
    fields = _prepared(instance, using)
    statement = _kept_statement(connection, instance, fields)
    values = _values(instance, fields, connection) if statement is not None else None
    if values is None:
        return None
    return PreparedRow(instance, fields, statement, values, [index for index, field in enumerate(fields) if field.attname in late])


def child_prepared(child: Model, link: str, *, late: tuple[str, ...] = (), using: str = "default") -> PreparedRow:
    """``row_prepared`` for a row that points to ``insert_linked``'s parent (``link``: the name of its foreign key):
    its values taken now, before the lock, the parent needing no id yet (the link is read from the parent's
    RETURNING); under the lock ``insert_linked`` takes only the ``late`` fields (attnames) again. Where
    ``insert_linked`` inserts rows one by one (not PostgreSQL, a model it does not cover), only the row and its
    link are kept, and its values are taken when it is inserted."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not _plain(type(child)):
        return PreparedRow(child, [], None, None, [], link)
    fields = _prepared(child, using, unsaved_parent=link)
    statement = _kept_statement(connection, child, fields)
    values = _values(child, fields, connection) if statement is not None else None
    return PreparedRow(child, fields, statement, values, [index for index, field in enumerate(fields) if field.attname in late], link)


def _values_again(prepared: PreparedRow, connection) -> list | None:
    """The prepared values with the late fields' taken again from the instance (None: an expression among them)."""
    values = list(prepared.values)
    for index in prepared.late:
        field = prepared.fields[index]
        value = field.pre_save(prepared.instance, add=True)
        if hasattr(value, "resolve_expression"):
            return None
        values[index] = field.get_db_prep_save(value, connection=connection)
    return values


def insert_linked(
    parent: Model,
    children: Callable[[Model], list[tuple[Model, str]]] | list[PreparedRow],
    *,
    using: str = "default",
    prepared: PreparedRow | None = None,
    commit: bool = False,
) -> list[Model]:
    """Insert ``parent`` and the rows that point to it, as ``insert`` would one after the other, in one statement on
    PostgreSQL (one round trip: a data-modifying WITH clause per row, each child's foreign key read from the
    parent's RETURNING). ``children(parent)`` builds them once ``parent`` has its values (auto_now dates): a list
    of (instance, name of its foreign key to ``parent``); or they are given already built, as ``child_prepared``
    took their values (only their late fields are taken again). Elsewhere, or when a row is not one ``insert``
    covers, the rows are inserted one by one. ``prepared``: ``parent``'s values as ``row_prepared`` took them (only
    its late fields are taken again). Returns the children.

    ``commit``: the transaction's COMMIT goes out in the same message as the INSERT (``core.pipeline``), when the
    transaction is the outermost ``atomic()`` block's own (``commits_here``): the locks it holds are released one
    round trip sooner. The rows are then committed when this returns, so nothing may run in the transaction after
    it; the block's own commit finds nothing left to do, and its ``on_commit`` callbacks run as usual when it ends.
    Otherwise (inside an outer transaction, SQLite, rows left to Django) the block commits them as always."""
    connection = connections[using]
    given = None if callable(children) else list(children)
    if connection.vendor != "postgresql" or not _plain(type(parent)):
        insert(parent, using=using)
        return [insert(child, using=using) for child, _ in (children(parent) if given is None else _links(given))]
    if prepared is not None and prepared.instance is not parent:
        raise ValueError("insert_linked: the prepared row is another instance's")
    fields = prepared.fields if prepared is not None else _prepared(parent, using)
    statement = prepared.statement if prepared is not None else _kept_statement(connection, parent, fields)
    with transaction.mark_for_rollback_on_error(using=using):
        if prepared is not None:
            params = _values_again(prepared, connection)
        else:
            params = _values(parent, fields, connection) if statement is not None else None
        kids = children(parent) if given is None else _links(given)
        if params is None or not all(_plain(type(child)) for child, _ in kids):
            _saved(parent, using, _insert_row(parent, fields, connection, using))
            return [insert(child, using=using) for child, _ in kids]
        rows = [(parent, statement, fields, params, None)]
        for index, (child, link) in enumerate(kids):
            row = _child_row(child, link, using, connection) if given is None else _child_row_again(given[index], connection)
            rows.append((child, *row, child._meta.get_field(link).column))
        # A NULL is written into the statement rather than sent: fewer parameters (psycopg keeps its conversion
        # of a statement only with at most 50), and still the same few statements for the same form.
        shape, params = [], []
        for instance, _, instance_fields, values, column in rows:
            pairs = list(zip(instance_fields, values, strict=True))
            nulls = frozenset(field.column for field, value in pairs if value is None)
            params += [value for field, value in pairs if value is not None and field.column != column]
            shape.append((type(instance), tuple(field.attname for field in instance_fields), column, nulls))
        key = (connection, "linked", tuple(shape))
        sql = _statements.get(key) or _statements.setdefault(key, _linked_sql(connection, rows, shape))
        with connection.cursor() as cursor:
            if commit and commits_here(connection):
                with sent_together(connection):
                    cursor.execute(sql, params)
                    connection.connection.execute(b"COMMIT", prepare=False)
            else:
                cursor.execute(sql, params)
            returned = list(cursor.fetchone())
    for instance, instance_statement, *_ in rows:
        width = len(instance._meta.db_returning_fields)
        _saved(instance, using, _returned(instance_statement, returned[:width]))
        returned = returned[width:]
    for child, link in kids:
        setattr(child, link, parent)
    return [child for child, _ in kids]


def _child_row(child: Model, link: str, using: str, connection) -> tuple:
    """A child row's kept statement, fields and values for ``insert_linked`` (its link to the parent not yet set)."""
    fields = _prepared(child, using, unsaved_parent=link)
    statement = _kept_statement(connection, child, fields)
    values = _values(child, fields, connection) if statement is not None else None
    if values is None:
        raise ValueError(f"insert_linked: {type(child).__name__} has a value or column insert() leaves to Django")
    return statement, fields, values


def _links(given: list[PreparedRow]) -> list[tuple[Model, str]]:
    return [(row.instance, row.link) for row in given]


def _child_row_again(prepared: PreparedRow, connection) -> tuple:
    """``_child_row`` for a child ``child_prepared`` took: its kept statement and fields, its late values taken again."""
    values = _values_again(prepared, connection) if prepared.values is not None else None
    if values is None or prepared.statement is None:
        raise ValueError(f"insert_linked: {type(prepared.instance).__name__} has a value or column insert() leaves to Django")
    return prepared.statement, prepared.fields, values


def _linked_sql(connection, rows: list, shape: list) -> str:
    """WITH r0 AS (INSERT parent ... RETURNING ...), r1 AS (INSERT child ... (SELECT id FROM r0) ...) SELECT * FROM r0, r1, ..."""
    parent = rows[0][0]
    parent_pk = f"(SELECT {connection.ops.quote_name(parent._meta.pk.column)} FROM r0)"
    clauses = []
    for (instance, *_), (_, attnames, column, nulls) in zip(rows, shape, strict=True):
        fields = [instance._meta.get_field(attname) for attname in attnames]
        from_query = dict.fromkeys(nulls, "NULL") | ({column: parent_pk} if column else {})
        clauses.append(_insert_sql(connection, instance, fields, from_query))
    sql = "WITH " + ", ".join(f"r{number} AS ({clause})" for number, clause in enumerate(clauses))
    return sql + " SELECT * FROM " + ", ".join(f"r{number}" for number in range(len(clauses)))


def _insert_sql(connection, instance: Model, fields: list, from_query: dict[str, str]) -> str:
    """INSERT ... VALUES (%s, ...) RETURNING ... for ``fields``; a column in ``from_query`` takes that SQL instead of a value."""
    quote, meta = connection.ops.quote_name, instance._meta
    values = ", ".join(from_query.get(field.column, "%s") for field in fields)
    returned = ", ".join(quote(field.column) for field in meta.db_returning_fields)
    return f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) VALUES ({values}) RETURNING {returned}"
