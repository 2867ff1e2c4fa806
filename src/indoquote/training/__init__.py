"""``indoquote train``, its resume and sweep summary, and the fitting of the linker and the indirect-speech head."""

from .fit_indirect import fit_indirect
from .fit_linker import fit_linker
from .train import run

__all__ = ["fit_indirect", "fit_linker", "run"]
