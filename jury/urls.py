from django.urls import path

from jury.views import conflicts, exports, results, scoring, setup, vote

app_name = "jury"

urlpatterns = [
    # The juror's start page: their editions, what is left to do.
    path("", scoring.jury_home, name="home"),
    # The secretariat sets up the jury: invitations, criteria, opening the scoring.
    path("<int:year>/manage/", setup.manage_jury, name="manage"),
    path("<int:year>/manage/invite/", setup.invite, name="invite"),
    path(
        "<int:year>/manage/jurors/<int:juror_id>/resend/",
        setup.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "<int:year>/manage/criteria/defaults/", setup.add_default_criteria, name="default_criteria"
    ),
    path("<int:year>/manage/open-scoring/", setup.open_scoring, name="open_scoring"),
    # Conflicts of interest: declared by each juror, ruled on by the chair.
    path("<int:year>/conflicts/", conflicts.declare_conflicts, name="conflicts"),
    path("<int:year>/conflicts/rulings/", conflicts.rulings, name="rulings"),
    path("<int:year>/conflicts/<int:declaration_id>/rule/", conflicts.rule, name="rule"),
    path(
        "<int:year>/conflicts/<int:declaration_id>/withdraw/",
        conflicts.request_withdrawal,
        name="withdraw",
    ),
    # Scoring.
    path("<int:year>/nominees/", scoring.scoring_overview, name="scoring"),
    path("<int:year>/nominees/<int:nominee_id>/", scoring.score_nominee, name="score"),
    path(
        "<int:year>/nominees/<int:nominee_id>/autosave/", scoring.autosave_scores, name="autosave"
    ),
    path("<int:year>/submit/", scoring.submit_scores, name="submit"),
    path("<int:year>/jurors/<int:juror_id>/reopen/", scoring.reopen_scores, name="reopen"),
    # Results for the chair and the secretariat (and a juror who has submitted).
    path("<int:year>/results/", results.results, name="results"),
    path(
        "<int:year>/results/export.<str:file_format>", results.export_results, name="export_results"
    ),
    # The Excel workbook is built by a worker: asked for, then downloaded from its page.
    path("<int:year>/results/exports/", exports.results_exports, name="results_exports"),
    path(
        "<int:year>/results/exports/new/",
        exports.request_results_export,
        name="request_results_export",
    ),
    path(
        "<int:year>/results/exports/<int:export_id>/resultat.xlsx",
        exports.download_results_export,
        name="download_results_export",
    ),
    path("<int:year>/protocol.pdf", results.protocol_pdf, name="protocol"),
    # The final round and the decision.
    path("<int:year>/shortlist/", vote.shortlist, name="shortlist"),
    path("<int:year>/ballot/", vote.ballot, name="ballot"),
    path("<int:year>/vote/", vote.vote_result, name="vote"),
    path("<int:year>/decision/", vote.record_decision, name="decision"),
]
