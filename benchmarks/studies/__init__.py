"""The peer-learning paper's studies as code: named specs run by ``benchmarks/run_all.py``.

``python benchmarks/run_all.py --study NAME`` runs one (resumable, process pool
or Ray) and writes its page under ``docs/studies/NAME.md``;
``--study NAME --estimate`` prints what it will cost on this machine first.
"""

from benchmarks.studies.registry import STUDIES, get_study
from benchmarks.studies.spec import Study

__all__ = ["STUDIES", "Study", "get_study"]
