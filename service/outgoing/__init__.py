"""The outgoing documents register (журнал исходящих документов / шығыс құжаттар журналы)."""
