"""huey's SQL storage (``huey.contrib.sql_huey``) with its tables named ``huey_*``: its own names
(``task``, ``kv``, ``schedule``, ``counter``) are too general to share a database with.

``create_models`` is huey's own (3.5), with a ``table_function`` that adds the prefix; everything
else — the ``FOR UPDATE SKIP LOCKED`` dequeue on PostgreSQL — is huey's unchanged.
"""

from __future__ import annotations

from typing import Any

from huey.contrib.sql_huey import BytesBlobField, SqlStorage
from peewee import CharField, CompositeKey, FloatField, IntegerField, Model, TimestampField

PREFIX = "huey_"


def _table_name(model: Any) -> str:
    return PREFIX + str(model.__name__).lower()


class PrefixedSqlStorage(SqlStorage):  # type: ignore[misc]
    def create_models(self) -> Any:
        database = self.database

        class Base(Model):
            class Meta:
                table_function = _table_name

        Base._meta.database = database

        class KV(Base):
            queue = CharField()
            key = CharField()
            value = BytesBlobField()

            class Meta:
                primary_key = CompositeKey("queue", "key")

        class Schedule(Base):
            queue = CharField()
            data = BytesBlobField()
            timestamp = TimestampField(resolution=1000)

            class Meta:
                indexes = ((("queue", "timestamp"), False),)

        class Task(Base):
            queue = CharField()
            data = BytesBlobField()
            priority = FloatField(default=0.0)

        Task.add_index(Task.priority.desc(), Task._meta.primary_key)

        class Counter(Base):
            queue = CharField()
            key = CharField()
            value = IntegerField()

            class Meta:
                primary_key = CompositeKey("queue", "key")

        return (KV, Schedule, Task, Counter)
