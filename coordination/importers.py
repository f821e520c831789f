"""Workbook imports of party development: party members and admission candidates.

Every row goes through the services (``member_create``/``member_update``,
``candidate_create``/``candidate_update``), so the statutory rules of the
models' ``clean()`` (milestone order, age at the cell resolution, THCS,
certificate validity, 2/3 of the votes, the 12 probationary months) refuse a
row exactly as they refuse a web form; ``field_columns`` sends each refusal to
the column the user has to correct.

Rows match by citizen ID (DESIGN §4), so re-importing a file changes nothing:

- members: the member with that CCCD. Where a member works and attends is a
  dated period (``placements``): a row that puts a member on the rolls
  somewhere else records a **move** on ``Ngày chuyển đến`` (else on the
  import's ``--as-of`` date), never an overwrite; a leaving date ends the open
  period (transfer out or leaving, by the reason); a member off the rolls
  whose row gives ``Ngày chuyển đến`` and no leaving date comes back. For a
  member off the rolls, a row with the leaving date describes the last period
  and corrects it;
- candidates: the person's case identified on the row's ``Ngày đưa vào danh
  sách``, else the open case, else a new case. A closed case is only matched
  by a row that is closed too (``Ngày dừng theo dõi``); a case that ended in
  admission is never changed here (the person is a party member: import them
  as ``party_members``).

A blank cell changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policy import Perm, access_for
from core import registry
from core.excel import values as v
from core.imports import NEW, UNCHANGED, UPDATED, Importer, RowError, RowErrors
from core.text import fold
from enterprises.importers import tax_code_value
from enterprises.models import Enterprise, PartyOrganization, normalize_tax_code

from . import placements, services
from .models import AdmissionCandidate, PartyMember, Placement
from .workbooks import (
    CANDIDATE_COLUMNS,
    CEREMONY,
    CLOSE_REASONS,
    EDUCATION_EXAMPLES,
    GENDERS,
    LEFT_REASONS,
    MEMBER_COLUMNS,
    MILESTONES,
    UNDATED,
    YES_NO,
    parse_citizen_id,
    parse_education,
    parse_milestone,
    parse_reason,
    split_full_name,
)

NAME_FIELDS = ("family_name", "middle_name", "given_name")


def _labels(model, fields) -> list[str]:
    return [str(model._meta.get_field(f).verbose_name) for f in fields]


class _PersonImporter(Importer):
    """What members and candidates share: names, identity, enterprise, organization."""

    # The template and the exports show these; ``columns`` may read more.
    template_columns: list = []
    org_key = ""

    @classmethod
    def template_bytes(cls) -> bytes:
        shown = type(cls.__name__, (cls,), {"columns": cls.template_columns})
        return super(_PersonImporter, shown).template_bytes()

    def prepare(self):
        self.access = access_for(self.actor) if self.actor is not None else None
        self.enterprises: dict[str, Enterprise] = {}
        self.organizations: dict[str, list[PartyOrganization]] = {}

    def person_values(self, row, parsers: dict) -> dict:
        """Parse the row: the person's columns plus ``parsers``."""
        val = self.parse(row, {
            "full_name": (v.parse_text, {"max_length": 200}),
            "given": (v.parse_text, {"max_length": 50}),
            "date_of_birth": v.parse_date,
            "gender": (v.parse_choice, {"options": GENDERS}),
            "citizen_id": parse_citizen_id,
            "tax_code": tax_code_value,
            self.org_key: (v.parse_text, {"max_length": 255}),
            **parsers,
        })
        try:
            val["names"] = split_full_name(val["full_name"], val["given"])
        except ValueError as exc:
            raise RowError("full_name", str(exc)) from exc
        return val

    def name_data(self, val, person) -> dict:
        """The name parts, unless the person's full name is unchanged.

        A family name of two words entered on a web page ("Tôn Nữ") would not
        survive the split of a round trip otherwise.
        """
        family, middle, given = val["names"]
        full = " ".join(p for p in (family, middle, given) if p)
        if person is not None and person.full_name == full:
            return {}
        return {"family_name": family, "middle_name": middle, "given_name": given}

    # --- enterprise and organization ------------------------------------------------
    def enterprise(self, text: str) -> Enterprise:
        """The enterprise of a tax code (or, failing that, of an exact name)."""
        if text not in self.enterprises:
            self.enterprises[text] = self._find_enterprise(text)
        enterprise = self.enterprises[text]
        self.check_zone(enterprise)
        return enterprise

    def _find_enterprise(self, text: str) -> Enterprise:
        try:
            code = normalize_tax_code(text)
        except ValidationError as exc:
            if not any(ch.isalpha() for ch in text):
                raise RowError("tax_code", exc.messages[0]) from exc
            return self._enterprise_by_name(text)
        enterprise = Enterprise.objects.filter(tax_code=code).first()
        if enterprise is None:
            raise RowError("tax_code", _("No enterprise with tax code %(code)s in the registry.")
                           % {"code": code})
        return enterprise

    def _enterprise_by_name(self, text: str) -> Enterprise:
        key = fold(text)
        found = [e for e in Enterprise.objects.filter(search_text__contains=key)
                 if key in (fold(e.name), fold(e.short_name))]
        if not found:
            raise RowError("tax_code", _(
                "No enterprise named '%(name)s' in the registry: give its tax code.")
                % {"name": text})
        if len(found) > 1:
            raise RowError("tax_code", _(
                "Several enterprises are named '%(name)s': give the tax code.") % {"name": text})
        return found[0]

    def check_zone(self, enterprise: Enterprise, key: str = "tax_code",
                   record_type: str = Enterprise._meta.label_lower) -> None:
        """A record found outside the account's zones: one neutral refusal."""
        if self.access is not None and not self.access.sees_zone(enterprise.zone_id):
            raise self.out_of_scope(key, record_type)

    def organization(self, name: str, enterprise: Enterprise | None) -> PartyOrganization:
        """The party organization of that name; the enterprise's own, or its zone's
        joint cell, when several share the name."""
        key = fold(name)
        if key not in self.organizations:
            self.organizations[key] = list(PartyOrganization.objects.filter(search_text=key))
        found = self.organizations[key]
        if len(found) > 1 and enterprise is not None:
            found = ([o for o in found if o.enterprise_id == enterprise.pk]
                     or [o for o in found if o.enterprise_id is None
                         and o.zone_id == enterprise.zone_id]
                     or found)
        if len(found) > 1:
            found = [o for o in found if o.dissolved_on is None] or found
        if not found:
            raise RowError(self.org_key, _("No party organization '%(name)s' in the registry.")
                           % {"name": name})
        if len(found) > 1:
            raise RowError(self.org_key, _("Several party organizations are named '%(name)s'.")
                           % {"name": name})
        return found[0]

    def optional(self, val, keys) -> dict:
        """The values given for ``keys`` (a blank cell changes nothing)."""
        return {k: val[k] for k in keys if val.get(k) not in (None, "")}


class PartyMemberImporter(_PersonImporter):
    kind = "party_members"
    label = gettext_lazy("Party members")
    columns = MEMBER_COLUMNS
    template_columns = MEMBER_COLUMNS
    perm = Perm.EDIT_PARTY_DEVELOPMENT
    list_url_name = "coordination:member_list"
    personal_record_type = PartyMember._meta.label_lower
    org_key = "party_organization"
    choices = {"gender": GENDERS, "left_reason": LEFT_REASONS, "is_enterprise_owner": YES_NO}
    as_of_label = gettext_lazy("Date of the moves")
    as_of_help = gettext_lazy("A member whose row gives another enterprise or party "
                              "organization moves there on this day, unless the row gives "
                              "'Ngày chuyển đến'.")
    instructions = [
        gettext_lazy("Rows match existing party members by 'Số CCCD' (12 digits)."),
        gettext_lazy("'Họ và tên' holds the full name: the first word is the family name, the "
                     "last one the given name. A file with the given name in a separate 'Tên' "
                     "column is read too."),
        gettext_lazy("'Mã số thuế doanh nghiệp' is required for a new member: the enterprise "
                     "must already be in the registry."),
        gettext_lazy("'Tổ chức đảng' takes the name of the organization where the member "
                     "attends (a joint cell too)."),
        gettext_lazy("'Ngày chính thức' is the day the 12 probationary months end; it cannot "
                     "be earlier."),
        gettext_lazy("'Ngày chuyển đến' is the day the member came to the enterprise and "
                     "organization of the row. For a new member it is where the first period "
                     "starts (blank: the admission date)."),
        gettext_lazy("A member on the list whose row gives another enterprise or organization "
                     "is recorded as a move on 'Ngày chuyển đến' (blank: the date the import "
                     "is made as of); the earlier period is kept as it was. A move cannot be "
                     "dated on or before the day the member came to the current place. To "
                     "correct a place recorded wrongly, use the member's page."),
        gettext_lazy("A member who left the list: give 'Ngày ra khỏi danh sách' and 'Lý do' "
                     "(a transfer or a change of job ends as a transfer out). A member who "
                     "left and comes back: leave 'Ngày ra khỏi danh sách' blank and give "
                     "'Ngày chuyển đến'."),
        gettext_lazy("'Lý do' takes one of the reasons listed below (capitals, accents and "
                     "spacing do not matter) or the reason in your own words, at most 255 "
                     "characters: it is recorded under 'Khác' and shown as written."),
    ]
    field_columns = {
        "family_name": "full_name", "middle_name": "full_name", "given_name": "full_name",
        "enterprise": "tax_code", "left_note": "left_reason", "starts_on": "placed_on",
        "ends_on": "left_on", "leave_reason": "left_reason", "note": "left_reason",
        "end_note": "left_reason",
    }

    def prepare(self):
        super().prepare()
        self.seen: dict[str, int] = {}

    def import_row(self, row, result):
        val = self.person_values(row, {
            "admitted_on": v.parse_date,
            "official_on": v.parse_date,
            "party_card_number": (v.parse_text, {"max_length": 30}),
            "is_enterprise_owner": v.parse_bool,
            "placed_on": v.parse_date,
            "left_on": v.parse_date,
            "left_reason": (parse_reason, {"options": LEFT_REASONS}),
        })
        val["left_reason"], val["left_note"] = val["left_reason"]
        citizen_id = val["citizen_id"]
        result.label = " ".join(p for p in val["names"] if p)
        if citizen_id in self.seen:
            raise RowError("citizen_id", _("Same citizen ID as row %(row)s.")
                           % {"row": self.seen[citizen_id]})
        self.seen[citizen_id] = row.number

        member = (PartyMember.objects.filter(citizen_id=citizen_id)
                  .select_related("enterprise").first())
        if member is not None:
            self.check_zone(member.enterprise, "citizen_id", PartyMember._meta.label_lower)
        errors = []
        data = {"date_of_birth": val["date_of_birth"], "gender": val["gender"],
                "citizen_id": citizen_id, "admitted_on": val["admitted_on"],
                **self.name_data(val, member),
                **self.optional(val, ("official_on", "party_card_number",
                                      "is_enterprise_owner"))}
        left = self.optional(val, ("left_on", "left_reason", "left_note"))
        enterprise = organization = None
        try:
            if val["tax_code"]:
                enterprise = self.enterprise(val["tax_code"])
            elif member is None:
                raise RowError("tax_code", _("Give the enterprise where the member works."))
        except RowError as exc:
            errors.append(exc)
        if val["party_organization"]:
            try:
                organization = self.organization(val["party_organization"],
                                                 enterprise or getattr(member, "enterprise",
                                                                       None))
            except RowError as exc:
                errors.append(exc)
        left_on = left.get("left_on") or (member.left_on if member else None)
        if left.get("left_reason") and not left_on:
            errors.append(RowError("left_on", _("Give the date the member left the list.")))
        if errors:
            raise RowErrors(errors)

        if member is None:
            self._create(data, enterprise, organization, val["placed_on"], left)
            result.status = NEW
            return
        changes = _labels(PartyMember, services.member_update(
            actor=self.actor, member=member, data=data))
        member = PartyMember.objects.get(pk=member.pk)  # as saved (admission date)
        changes += self._place(member, enterprise, organization, val["placed_on"], left)
        result.status = UPDATED if changes else UNCHANGED
        result.changes = changes

    def _create(self, data, enterprise, organization, placed_on, left) -> None:
        """A new member, with the first period from ``placed_on`` (else admission)."""
        data = {**data, **left, "enterprise": enterprise, "is_enterprise_owner":
                data.get("is_enterprise_owner", False)}
        if organization is not None:
            data["party_organization"] = organization
        began = (Placement.Began.TRANSFER_IN
                 if placed_on and placed_on != data["admitted_on"] else Placement.Began.ADMISSION)
        services.member_create(actor=self.actor, data=data, placed_on=placed_on, began=began)

    # --- where the member works and attends -------------------------------------------
    def _place(self, member, enterprise, organization, placed_on, left) -> list[str]:
        """Apply the row's place and dates to the member's periods; returns what
        was recorded (empty when the row says what the periods already say)."""
        latest = placements.latest_placement(member)
        if latest is None:  # a record without periods: nothing to compare with
            return []
        enterprise = enterprise or latest.enterprise
        if organization is None:  # a blank cell changes nothing
            organization = latest.party_organization
        elsewhere = (enterprise.pk, getattr(organization, "pk", None)) != (
            latest.enterprise_id, latest.party_organization_id)
        if latest.ends_on is None:
            return self._on_the_rolls(member, latest, enterprise, organization, elsewhere,
                                      placed_on, left)
        if placed_on is not None and placed_on >= latest.ends_on \
                and placed_on != latest.starts_on:
            return self._come_back(member, latest, enterprise, organization, placed_on, left)
        if not left.get("left_on"):
            if elsewhere or (placed_on is not None and placed_on != latest.starts_on):
                raise RowError("left_on", _(
                    "This member left the list on %(date)s. To record the return, give "
                    "'Ngày chuyển đến' on or after that day and leave this cell blank.")
                    % {"date": _day(latest.ends_on)})
            return []  # a blank leaving date changes nothing
        return self._correct_last(latest, enterprise, organization, elsewhere, placed_on, left)

    def _on_the_rolls(self, member, current, enterprise, organization, elsewhere, placed_on,
                      left) -> list[str]:
        changes = []
        left_on = left.get("left_on")
        if elsewhere:
            on = placed_on or self.as_of
            if on <= current.starts_on:
                raise RowError("placed_on", _(
                    "The member has worked and attended at the current place since %(start)s: "
                    "a move to another enterprise or organization is dated after that day "
                    "(here %(date)s). To correct where the member was, use the member's page.")
                    % {"start": _day(current.starts_on), "date": _day(on)})
            if left_on is not None and left_on <= on:
                raise RowError("placed_on", _(
                    "The move (%(date)s) must come before the day the member left the list "
                    "(%(left)s).") % {"date": _day(on), "left": _day(left_on)})
            self._service(placements.member_move, "placed_on", member=member, on=on,
                          enterprise=enterprise, party_organization=organization)
            changes.append(_("Moved on %(date)s") % {"date": _day(on)})
        elif placed_on is not None and placed_on != current.starts_on:
            self._correct_start(member, current, placed_on)
            changes.append(_("Date of arrival corrected to %(date)s") % {"date": _day(placed_on)})
        if left_on is not None:
            if not left.get("left_reason"):
                raise RowError("left_reason", _("Give the reason the member left the list."))
            self._service(placements.member_leave_rolls, "left_on", member=member, on=left_on,
                          reason=left["left_reason"], note=left.get("left_note", ""))
            changes.append(_("Left the list on %(date)s") % {"date": _day(left_on)})
        return changes

    def _come_back(self, member, latest, enterprise, organization, placed_on,
                   left) -> list[str]:
        """A member off the rolls comes back on ``placed_on`` (a new period)."""
        self._service(placements.member_transfer_in, "placed_on", member=member, on=placed_on,
                      enterprise=enterprise, party_organization=organization)
        changes = [_("Came back on %(date)s") % {"date": _day(placed_on)}]
        if left.get("left_on"):
            if not left.get("left_reason"):
                raise RowError("left_reason", _("Give the reason the member left the list."))
            self._service(placements.member_leave_rolls, "left_on", member=member,
                          on=left["left_on"], reason=left["left_reason"],
                          note=left.get("left_note", ""))
            changes.append(_("Left the list on %(date)s") % {"date": _day(left["left_on"])})
        return changes

    def _correct_last(self, latest, enterprise, organization, elsewhere, placed_on,
                      left) -> list[str]:
        """A member off the rolls: the row describes the last period and corrects it."""
        values = {}
        if elsewhere:
            values.update(enterprise=enterprise, party_organization=organization)
        if placed_on is not None:
            values["starts_on"] = placed_on
        reason = left.get("left_reason") or latest.leave_reason
        values.update(ends_on=left["left_on"], leave_reason=reason, ended=(
            Placement.Ended.TRANSFER_OUT
            if reason in Placement.REASONS[Placement.Ended.TRANSFER_OUT]
            else Placement.Ended.LEFT))
        note = _reason_note(left.get("left_reason"), left.get("left_note", ""),
                            latest.leave_reason)
        if note is not None:
            values["end_note"] = note
        changed = self._service(placements.placement_correct, None, placement=latest,
                                data=values)
        return [_("Last period corrected")] if changed else []

    def _correct_start(self, member, current, placed_on) -> None:
        """The member came to the current place on another day than recorded: the
        period starts then (and the one before, left by a move, ends then)."""
        if current.began == Placement.Began.MOVE:
            before = (member.placements.filter(ends_on=current.starts_on,
                                               ended=Placement.Ended.MOVE)
                      .exclude(pk=current.pk).first())
            if before is not None:
                if placed_on <= before.starts_on:
                    raise RowError("placed_on", _(
                        "The member came to the previous place on %(date)s: the move cannot "
                        "be dated on or before that day.") % {"date": _day(before.starts_on)})
                # Shrink first, so the two periods never overlap on the way.
                first, second = ((before, current) if placed_on < current.starts_on
                                 else (current, before))
                for placement in (first, second):
                    field = "ends_on" if placement is before else "starts_on"
                    self._service(placements.placement_correct, "placed_on",
                                  placement=placement, data={field: placed_on})
                return
        values = {"starts_on": placed_on}
        first = member.placements.order_by("starts_on", "pk").first()
        if first.pk == current.pk and current.began in (Placement.Began.ADMISSION,
                                                        Placement.Began.TRANSFER_IN):
            values["began"] = (Placement.Began.ADMISSION if placed_on == member.admitted_on
                               else Placement.Began.TRANSFER_IN)
        self._service(placements.placement_correct, "placed_on", placement=current,
                      data=values)

    def _service(self, service, key, **kwargs):
        """Call a placement service; a refusal about its date goes to the column ``key``."""
        try:
            return service(actor=self.actor, **kwargs)
        except ValidationError as exc:
            if key is None or not hasattr(exc, "error_dict"):
                raise
            dates = {"on", "starts_on", "ends_on"}
            if not set(exc.error_dict) & dates:
                raise
            known = {c.key for c in self.columns}
            raise RowErrors([
                RowError(key if name in dates else (
                    self.field_columns.get(name, name)
                    if self.field_columns.get(name, name) in known else None), message)
                for name, messages in exc.message_dict.items() for message in messages
            ]) from exc


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _reason_note(reason: str | None, words: str, stored_reason: str) -> str | None:
    """The note to write with the reason a row gives (None: leave the note).

    The user's words are the reason (Other): they replace the note. A listed
    reason keeps the note written beside it on a page, unless the row changes
    the reason: that note was about the reason before.
    """
    if reason is None or not (words or reason != stored_reason):
        return None
    return words


class CandidateImporter(_PersonImporter):
    kind = "candidates"
    label = gettext_lazy("Admission candidates")
    columns = [*CANDIDATE_COLUMNS, CEREMONY]
    template_columns = CANDIDATE_COLUMNS
    perm = Perm.EDIT_PARTY_DEVELOPMENT
    list_url_name = "coordination:candidate_list"
    personal_record_type = AdmissionCandidate._meta.label_lower
    org_key = "responsible_organization"
    choices = {"gender": GENDERS, "closed_reason": CLOSE_REASONS,
               "education_grade": EDUCATION_EXAMPLES}
    instructions = [
        gettext_lazy("Rows match a person's case by 'Số CCCD' and 'Ngày đưa vào danh sách', "
                     "otherwise the person's open case; a person without one gets a new case."),
        gettext_lazy("'Họ và tên' holds the full name: the first word is the family name, the "
                     "last one the given name. A file with the given name in a separate 'Tên' "
                     "column is read too."),
        gettext_lazy("'Trình độ học vấn': N/12 (9/12, 12/12), the old N/10 (7/10 is "
                     "lower secondary), THCS or THPT; at least THCS is required at the cell "
                     "resolution."),
        gettext_lazy("Milestones follow each other in the order of the procedure: course, "
                     "application, cell resolution, admission decision; none may be skipped or "
                     "dated before the previous one."),
        gettext_lazy("A step known to have happened whose date is not known (old records) is "
                     "written 'Đã thực hiện, không rõ ngày' (or 'x', 'Có') in its date column; "
                     "the steps before a recorded step are taken as done, date not recorded. "
                     "No date is ever borrowed from another step."),
        gettext_lazy("'Ngày đảng ủy cơ sở xét' (8-KNĐ) belongs only to a case whose responsible "
                     "organization is a đảng bộ cơ sở or one of its cells; a chi bộ cơ sở sends "
                     "its resolution straight to the upper committee."),
        gettext_lazy("At the cell resolution the candidate is 18 to 60 years old (counted in "
                     "months; over 60 only with the reference of the decision that allows it, "
                     "in 'Quyết định cho kết nạp trên 60 tuổi'), the course certificate is at "
                     "most 60 months old, and the votes for reach two thirds of the cell's "
                     "official members."),
        gettext_lazy("Admitted people are imported as party members: a candidate row has no "
                     "ceremony date."),
        gettext_lazy("A case stops being followed with 'Ngày dừng theo dõi' and 'Lý do dừng'."),
        gettext_lazy("'Lý do dừng' takes one of the reasons listed below (capitals, accents "
                     "and spacing do not matter) or the reason in your own words, at most 255 "
                     "characters: it is recorded under 'Khác' and shown as written."),
    ]
    FIELD_COLUMNS = {
        "family_name": "full_name", "middle_name": "full_name", "given_name": "full_name",
        "enterprise": "tax_code", "closed_note": "closed_reason",
        "undated_steps": "cell_resolution_on", "sponsor_kind": "sponsorship_on",
    }
    field_columns = FIELD_COLUMNS
    GIVEN_KEYS = ("education_grade", "certificate_number", "votes_for",
                  "cell_official_members", "age_override_reference", "decision_number",
                  "decision_body", "decision_received_on", "closed_on", "closed_reason")

    def prepare(self):
        super().prepare()
        # The over-60 refusal belongs to the override column when the file has it.
        self.field_columns = {**self.FIELD_COLUMNS, "age_override_reference": (
            "age_override_reference" if self.present("age_override_reference")
            else "cell_resolution_on")}
        self.seen: dict[str, list[tuple[int, date, date | None]]] = {}
        self.matched: dict[int, int] = {}

    def import_row(self, row, result):
        val = self.person_values(row, {
            "identified_on": v.parse_date,
            "education_grade": parse_education,
            **{field: parse_milestone for field in MILESTONES},
            "certificate_number": (v.parse_text, {"max_length": 50}),
            "votes_for": v.parse_int,
            "cell_official_members": v.parse_int,
            "age_override_reference": (v.parse_text, {"max_length": 100}),
            "decision_number": (v.parse_text, {"max_length": 50}),
            "decision_body": (v.parse_text, {"max_length": 200}),
            "decision_received_on": v.parse_date,
            "closed_on": v.parse_date,
            "closed_reason": (parse_reason, {"options": CLOSE_REASONS}),
            "ceremony_on": v.parse_date,
        })
        val["closed_reason"], closed_words = val["closed_reason"]
        citizen_id, identified_on = val["citizen_id"], val["identified_on"]
        closed_on = val["closed_on"]
        result.label = " ".join(p for p in val["names"] if p)
        if val["ceremony_on"]:
            raise RowError("ceremony_on", _(
                "Admitted people are imported as party members (kind party_members), not as "
                "candidates."))
        self._check_duplicate(row.number, citizen_id, identified_on, closed_on)

        case = self._find_case(citizen_id, identified_on, closed_on)
        if case is not None:
            if case.pk in self.matched:
                raise RowError("citizen_id", _("Same case as row %(row)s.")
                               % {"row": self.matched[case.pk]})
            self.matched[case.pk] = row.number
            self.check_zone(case.enterprise, "citizen_id",
                            AdmissionCandidate._meta.label_lower)
        elif closed_on is None:
            self._check_not_member(citizen_id)

        errors = []
        data = {"date_of_birth": val["date_of_birth"], "gender": val["gender"],
                "citizen_id": citizen_id, "identified_on": identified_on,
                **self.name_data(val, case), **self.optional(val, self.GIVEN_KEYS),
                **{f: val[f] for f in MILESTONES if val.get(f) not in (None, UNDATED)}}
        marked = {f for f in MILESTONES if val.get(f) is UNDATED}
        note = _reason_note(val["closed_reason"], closed_words,
                            case.closed_reason if case else "")
        if note is not None:
            data["closed_note"] = note
        enterprise = None
        try:
            enterprise = data["enterprise"] = self.enterprise(val["tax_code"])
        except RowError as exc:
            errors.append(exc)
        if val["responsible_organization"]:
            try:
                data["responsible_organization"] = self.organization(
                    val["responsible_organization"], enterprise)
            except RowError as exc:
                errors.append(exc)
        merged = {**({f: getattr(case, f) for f in ("closed_on",)} if case else {}), **data}
        if data.get("closed_reason") and not merged.get("closed_on"):
            errors.append(RowError("closed_on", _("Give the date the case stopped being "
                                                  "followed.")))
        if errors:
            raise RowErrors(errors)
        self._undated_steps(data, case, marked)

        if case is None:
            services.candidate_create(actor=self.actor, data=data)
            result.status = NEW
            return
        changed = services.candidate_update(actor=self.actor, candidate=case, data=data)
        result.status = UPDATED if changed else UNCHANGED
        result.changes = _labels(AdmissionCandidate, changed)

    # --- matching ----------------------------------------------------------------------
    def _check_duplicate(self, number, citizen_id, identified_on, closed_on) -> None:
        """Two rows of one person are two cases, the earlier closed before the later began."""
        for other, other_identified, other_closed in self.seen.get(citizen_id, []):
            separate = ((other_closed is not None and other_closed <= identified_on)
                        or (closed_on is not None and closed_on <= other_identified))
            if not separate:
                raise RowError("citizen_id", _("Same citizen ID as row %(row)s.")
                               % {"row": other})
        self.seen.setdefault(citizen_id, []).append((number, identified_on, closed_on))

    def _find_case(self, citizen_id, identified_on, closed_on) -> AdmissionCandidate | None:
        cases = list(AdmissionCandidate.objects.filter(citizen_id=citizen_id)
                     .select_related("enterprise").order_by("identified_on", "pk"))
        same_day = [c for c in cases if c.identified_on == identified_on]
        if same_day:
            return self._usable(same_day[-1], closed_on)
        open_case = next((c for c in cases if c.closed_on is None and c.ceremony_on is None),
                         None)
        if open_case is not None and not (closed_on and closed_on <= open_case.identified_on):
            return open_case
        # An earlier case that has ended and overlaps the row: the same case.
        overlapping = [c for c in cases if c is not open_case
                       and identified_on <= (c.closed_on or c.ceremony_on)
                       and (closed_on is None or closed_on >= c.identified_on)]
        if overlapping:
            return self._usable(overlapping[-1], closed_on)
        return None

    def _usable(self, case, closed_on) -> AdmissionCandidate:
        """A case that ended is changed only by a row that says it ended the same way."""
        if case.ceremony_on or case.member_id:
            raise RowError("citizen_id", _(
                "This case ended with the admission on %(date)s: the person is a party member; "
                "change the member's record instead (kind party_members).")
                % {"date": case.ceremony_on.strftime("%d/%m/%Y")})
        if case.closed_on and closed_on is None:
            raise RowError("identified_on", _(
                "This person's case was closed on %(date)s; a new case needs a 'Ngày đưa vào "
                "danh sách' after that date.") % {"date": case.closed_on.strftime("%d/%m/%Y")})
        return case

    def _check_not_member(self, citizen_id) -> None:
        member = PartyMember.objects.filter(citizen_id=citizen_id, left_on__isnull=True).first()
        if member is not None:
            raise RowError("citizen_id", _(
                "%(name)s is already a party member (admitted on %(date)s).")
                % {"name": member.full_name, "date": member.admitted_on.strftime("%d/%m/%Y")})

    @staticmethod
    def _undated_steps(data: dict, case, marked: set[str]) -> None:
        """The steps done without a known date: those the file marks so, and
        every step before the last one done that has no date. Never a date
        borrowed from another step (DESIGN §2)."""
        organization = data.get("responsible_organization",
                                case.responsible_organization if case else None)
        steps = AdmissionCandidate(responsible_organization=organization).steps()
        stored = set(case.undated_steps) if case is not None else set()

        def dated(field):
            return data[field] if field in data else (getattr(case, field) if case else None)

        done = [index for index, (_stage, field) in enumerate(steps)
                if dated(field) or field in marked or field in stored]
        last = max(done, default=0)
        undated = [field for index, (_stage, field) in enumerate(steps)
                   if field in AdmissionCandidate.UNDATABLE and not dated(field)
                   and (index < last or field in marked or field in stored)]
        # A committee resolution marked for a case it does not belong to is
        # refused by the rules, not dropped here.
        undated += [field for field in marked if field not in undated
                    and field not in {f for _s, f in steps}]
        if case is None:
            if undated:
                data["undated_steps"] = undated
        elif undated != list(case.undated_steps):
            data["undated_steps"] = undated


IMPORTERS = {
    "party_members": PartyMemberImporter,
    "candidates": CandidateImporter,
}

registry.register_importers(IMPORTERS)
