"""Checks of a template version on upload and before approval (contract C4): every problem at
once, each with its location. ``run_checks(CheckInput) -> list[Problem]``."""

from service.templates.checks.problem import CheckInput, Problem, SiblingVersion
from service.templates.checks.run import PathRecorder, run_checks

__all__ = ["CheckInput", "PathRecorder", "Problem", "SiblingVersion", "run_checks"]
