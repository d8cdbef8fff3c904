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

from django.db import connections, transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

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


def insert(instance: Model, *, using: str = "default") -> Model:
    """Insert ``instance`` (a new row) as ``instance.save(force_insert=True, using=using)`` would; return it."""
    model, connection = type(instance), connections[using]
    if not _plain(model) or not connection.features.can_return_columns_from_insert:
        instance.save(force_insert=True, using=using)
        return instance
    meta = model._meta
    instance._prepare_related_fields_for_save(operation_name="save")
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    if not instance._is_pk_set(meta):
        setattr(instance, meta.pk.attname, meta.pk.get_pk_value_on_save(instance))
    pk_set = instance._is_pk_set(meta)
    fields = [field for field in meta.local_concrete_fields if not field.generated and (pk_set or field is not meta.auto_field)]
    key = (connection, model, tuple(field.attname for field in fields))
    statement = _statements.get(key, False)
    if statement is False:  # built before the values are taken: the compiler runs the fields' pre_save too
        if len(_statements) > 64:
            _statements.clear()
        statement = _statements[key] = _statement(connection, instance, fields)
    values = [field.pre_save(instance, add=True) for field in fields]
    with transaction.mark_for_rollback_on_error(using=using):
        if statement is None or any(hasattr(value, "resolve_expression") for value in values):
            results = model._base_manager._insert([instance], fields=fields, returning_fields=meta.db_returning_fields, using=using)
            row = results[0] if results else ()
        else:
            sql, returning, converters, compiler = statement
            params = [field.get_db_prep_save(value, connection=connection) for field, value in zip(fields, values, strict=True)]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            if converters:
                row = next(iter(compiler.apply_converters([row], converters)))
        for value, field in zip(row, meta.db_returning_fields, strict=False):
            setattr(instance, field.attname, value)
    instance._state.db = using
    instance._state.adding = False
    post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
    return instance
