"""Provisions, rules and policy, agreements, claims and segments (issue 4)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1")
