"""The jury's results read from the database, and the files the chair and the secretariat keep.

- `loading`: the queries. An edition's criteria and scores become the plain rows that
  `jury.scoring_math.results` computes on, and come back as figures with the Nominee and
  Juror rows they belong to (`load_results`, `tie_break_order`, `load_protocol`; the final
  vote's count, which the protocol prints, is `jury.selectors.vote.count_vote`).
- `caching`: the computed results (and the results page's rendered figures) kept until what
  they rest on changes.
- `listing`: the results page's rows, filtered and ordered as the reader asked.
- `exports`: the results as CSV and XLSX, streamed.
- `protocol`: the jury's protocol as a PDF.

The names other modules use are re-exported here: `reports.load_results(edition)`.
"""

from jury.reports.exports import results_csv, results_xlsx
from jury.reports.loading import (
    CandidateResult,
    ResultsReport,
    load_protocol,
    load_results,
    tie_break_order,
)
from jury.reports.protocol import protocol_pdf, protocol_story

__all__ = [
    "CandidateResult",
    "ResultsReport",
    "load_protocol",
    "load_results",
    "protocol_pdf",
    "protocol_story",
    "results_csv",
    "results_xlsx",
    "tie_break_order",
]
