"""The register of the processing of personal data this product does (Law
91/2025/QH15 on personal data protection and its decree): for each
processing, its purpose, the data subjects and categories of data, who
receives the data, and how long it is kept. Shown to administrators
(``/privacy/``); kept next to the code, so a change of the product changes it
in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Processing:
    name: str
    purpose: str
    subjects: str
    categories: str
    recipients: str
    retention: str
    where: str


def register() -> list[Processing]:
    years = settings.PSEUDONYMISE_AFTER_YEARS
    kept = (_("pseudonymised %(years)s years after leaving the rolls") % {"years": years}
            if years is not None else _("kept while the system is in use (no pseudonymisation "
                                         "period set: PSEUDONYMISE_AFTER_YEARS)"))
    return [
        Processing(
            _("Party members working in industrial-zone enterprises"),
            _("Following party development under Directive 33-CT/TW and the coordination "
              "regulation: members, where they work and attend, probation and recognition; "
              "the periodic review figures."),
            _("Party members working in the zones' enterprises"),
            _("Full name, date of birth, gender, citizen ID, party card number, admission and "
              "official dates, decisions, workplace and party organization over time, "
              "enterprise-owner flag, reasons for leaving."),
            _("Party Committee officers and leaders (full); IZ Board accounts receive counts "
              "only; report workbooks mask citizen IDs."),
            kept, "coordination.PartyMember, Placement, Recognition, RecognitionVote"),
        Processing(
            _("Outstanding workers in the admission procedure"),
            _("Following each admission case through the steps of the procedure and its "
              "deadlines."),
            _("Workers proposed for admission (quần chúng ưu tú)"),
            _("Full name, date of birth, gender, citizen ID, education, workplace, the dates "
              "and records of each step, sponsors and helper, reasons for closing."),
            _("Party Committee officers and leaders; IZ Board accounts register workers met on "
              "survey visits and then see counts only."),
            (_("closed cases pseudonymised %(years)s years after closing") % {"years": years}
             if years is not None else _("kept while the system is in use")),
            "coordination.AdmissionCandidate"),
        Processing(
            _("Imported workbooks"),
            _("Entering many records at once from the provincial spreadsheets."),
            _("Members and candidates listed in the file"),
            _("Everything the file holds (citizen IDs, birth dates)."),
            _("Only the account that uploaded the file."),
            _("deleted as soon as the import is applied, otherwise after %(days)s days; "
              "never in backups") % {"days": settings.IMPORT_UPLOAD_RETENTION_DAYS},
            "core.ImportRun"),
        Processing(
            _("Exported lists prepared in the background"),
            _("Handing an officer the Excel file of a long filtered list of members or "
              "candidates (“My exports”)."),
            _("Members and candidates in the exported list"),
            _("What the list's export holds: names, birth dates, citizen IDs masked to their "
              "last 4 digits, placements and dates."),
            _("Only the account that asked for it, while it may still see the list; every "
              "download is in the access log."),
            _("the file is deleted %(days)s days after it was prepared; the record of the "
              "export stays, without the file") % {"days": settings.EXPORT_RETENTION_DAYS},
            "core.ExportJob"),
        Processing(
            _("Access log and change history"),
            _("Accountability: who viewed, exported or changed personal data, and what."),
            _("Accounts of the system; the people whose records were viewed (by id)"),
            _("Account, date and time, action, record type and id; field-by-field changes."),
            _("Administrators; each person's own entries in their personal data file."),
            _("kept with the records they concern (pseudonymised with them)"),
            "core.PersonalDataAccess, simple-history tables"),
        Processing(
            _("Accounts of the system"),
            _("Signing in, roles and zones, two-step sign-in, reminders by e-mail."),
            _("Officers and leaders of the two bodies"),
            _("Name, title, phone, e-mail, organization, role, zones, sign-in attempts."),
            _("Administrators."),
            _("while the account exists; failed sign-ins as django-axes keeps them"),
            "accounts.User, axes"),
    ]
