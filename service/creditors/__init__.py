"""Creditors: the housing associations (ОСИ/МИБ, КСК, management companies) that issue notices.

The tenant boundary: nothing of one creditor is visible to another. API keys, each bound to one
creditor (admin keys may be unbound), carry a role; ``auth`` says what each role may do.
"""
