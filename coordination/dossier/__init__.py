"""The candidate's dossier (DESIGN §7): which documents each step of the
admission procedure needs, and what is missing.

The table below is the one definition. A step's documents are those the step
produces or records (the course gives the certificate, the application the
forms 1-KNĐ and 2-KNĐ...). Before the next step is taken, the documents of
every step already done must be in the dossier: that is what the next body
examines (the cell votes on the complete dossier, the upper committee decides
on the cell's resolution and what came before it). The grassroots committee's
resolution (8-KNĐ) belongs only to the cases where that step applies
(``AdmissionCandidate.committee_step_applies``), and the sponsorship's
documents follow who sponsors: two members' letters, or a union committee's
resolution and one member's letter.
"""

from __future__ import annotations

from coordination.models import AdmissionCandidate, DossierDocument

Stage = AdmissionCandidate.Stage
Kind = DossierDocument.Kind
SponsorKind = AdmissionCandidate.SponsorKind

# Step -> the documents it needs, in the order the dossier lists them.
STEP_DOCUMENTS: dict[str, tuple[str, ...]] = {
    Stage.COURSE: (Kind.CERTIFICATE,),
    Stage.APPLICATION: (Kind.APPLICATION, Kind.AUTOBIOGRAPHY),
    Stage.SPONSORSHIP: (Kind.SPONSOR_LETTER, Kind.SECOND_SPONSOR_LETTER,
                        Kind.YOUTH_UNION_RESOLUTION, Kind.TRADE_UNION_RESOLUTION),
    Stage.VERIFICATION: (Kind.VERIFICATION,),
    Stage.ASSESSMENT: (Kind.RESIDENCE_COMMENTS, Kind.ORGANIZATION_COMMENTS,
                       Kind.ASSESSMENT_SUMMARY),
    Stage.CELL_RESOLUTION: (Kind.CELL_RESOLUTION,),
    Stage.COMMITTEE_RESOLUTION: (Kind.COMMITTEE_RESOLUTION,),
    Stage.DECISION: (Kind.DECISION,),
}
# Who sponsors -> the sponsorship's documents (Charter Art. 4).
SPONSOR_DOCUMENTS: dict[str, tuple[str, ...]] = {
    SponsorKind.MEMBERS: (Kind.SPONSOR_LETTER, Kind.SECOND_SPONSOR_LETTER),
    SponsorKind.YOUTH_UNION: (Kind.YOUTH_UNION_RESOLUTION, Kind.SPONSOR_LETTER),
    SponsorKind.TRADE_UNION: (Kind.TRADE_UNION_RESOLUTION, Kind.SPONSOR_LETTER),
}
# Of a case whose sponsors are not recorded (old records): two members' letters,
# the Charter's first way.
DEFAULT_SPONSOR_KIND = SponsorKind.MEMBERS


def step_documents(candidate: AdmissionCandidate, stage: str, *,
                   strict: bool = True) -> tuple[str, ...]:
    """The documents ``stage`` needs in this case. The sponsorship's depend on
    who sponsors; with nobody recorded, ``strict`` gives the default (two
    members' letters) and not ``strict`` every document a sponsorship may have."""
    if stage == Stage.SPONSORSHIP:
        if candidate.sponsor_kind:
            return SPONSOR_DOCUMENTS[candidate.sponsor_kind]
        return SPONSOR_DOCUMENTS[DEFAULT_SPONSOR_KIND] if strict else STEP_DOCUMENTS[stage]
    return STEP_DOCUMENTS.get(stage, ())


def case_steps(candidate: AdmissionCandidate) -> list[tuple[str, tuple[str, ...]]]:
    """(stage, documents) of every step of this case that has documents."""
    return [(stage, step_documents(candidate, stage)) for stage, _field in candidate.steps()
            if stage in STEP_DOCUMENTS]


def valid_kinds(candidate: AdmissionCandidate) -> list[str]:
    """The kinds of document this case may hold: those of its steps (no 8-KNĐ
    where the committee's step does not apply; the sponsorship's as above,
    any of them while nobody is recorded)."""
    kinds: list[str] = []
    for stage, _field in candidate.steps():
        kinds += step_documents(candidate, stage, strict=False)
    return list(dict.fromkeys(kinds))


def expected_kinds(candidate: AdmissionCandidate) -> list[str]:
    """The documents that must be in the dossier before the case's next step:
    those of every step done (dated or not). Of an admitted or closed case,
    those of every step it went through."""
    kinds: list[str] = []
    for stage, field in candidate.steps():
        if stage in STEP_DOCUMENTS and candidate.is_done(field):
            kinds += step_documents(candidate, stage)
    return kinds


def missing_kinds(candidate: AdmissionCandidate, present) -> list[str]:
    """:func:`expected_kinds` that are not among ``present`` (kinds held)."""
    present = set(present)
    return [kind for kind in expected_kinds(candidate) if kind not in present]
