import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import clean_multiline, clean_text


class CleanTextModel(models.Model):
    """Stores every text field NFC-normalised and trimmed.

    The normalisation runs in ``clean_fields``, i.e. on every ``full_clean``,
    which every service, form and admin save goes through.

    ``constraint_fields`` names the field a check constraint's message belongs
    to, so forms and imports show it next to that field or column.
    """

    constraint_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    field = self.constraint_fields.get(constraint.name)
                    if field is None and getattr(exc, "code", None) == "unique" and len(
                        getattr(constraint, "fields", ())
                    ) == 1:
                        field = constraint.fields[0]
                    if field:
                        errors.setdefault(field, []).extend(exc.messages)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None):
        for field in self._meta.concrete_fields:
            if isinstance(field, models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, clean_multiline(value))
            elif isinstance(field, models.CharField) and not field.choices:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, clean_text(value))
        super().clean_fields(exclude=exclude)


class UpdatedAtModel(models.Model):
    """Keeps ``updated_at``, the moment the row was last saved.

    The REST API's incremental sync (``?updated_since=``) reads it. A save
    limited to some fields (``update_fields``) stamps it too, so no service
    has to remember it; ``QuerySet.update()`` does not, and the few writes
    that change what the API shows through another table (a workforce
    record changes its enterprise's figures) stamp the row themselves.
    """

    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class WorkerHeartbeat(models.Model):
    """Last time the Celery worker ran the heartbeat task (one row per name).

    Beat schedules the task every minute, so /healthz can tell whether the
    worker and beat are alive.
    """

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self):
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


def _import_path(instance, filename):
    # Never the user's file name in the path (it is kept in original_name).
    return f"imports/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportRun(models.Model):
    """One uploaded workbook: previewed, then applied (or not).

    The file is kept outside the web root and shown only to its uploader.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")

    kind = models.CharField(_("kind"), max_length=40)
    file = models.FileField(_("file"), upload_to=_import_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="import_runs",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    as_of = models.DateField(_("figures as of"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PREVIEWED)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The uploaded file is deleted once applied, or after the retention period
    # (core.retention); the row and its counts stay.
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} · {self.original_name}"


class PersonalDataAccess(models.Model):
    """Who viewed or exported personal records, when, and what (an audit trail).

    Only identifiers are kept here, never the personal data itself.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        LIST = "list", _("Listed")
        # An entry refused because a record outside the account's scope (or
        # its personal data) exists: counted to rate-limit such probing.
        REFUSED = "refused", _("Refused: record outside the account's scope")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                             on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("record type"), max_length=50)
    record_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.record_type}"


def _attachment_path(instance, filename):
    # Random name under the private media root; the user's name is kept apart.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a plan task or a survey visit (minutes, photos...).

    Stored under MEDIA_ROOT, which nothing serves directly: the download view
    asks the owner's app whether the account may see the owner object. The type
    is checked from the file's content, not its name (core.attachments).
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class Notification(models.Model):
    """An in-app reminder for one account (the bell), built by the daily job.

    ``key`` identifies what the reminder is about (e.g. ``task:12:due``); the
    unique constraint on (recipient, key, day) makes the job idempotent: run
    twice in a day, it creates and emails nothing twice.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=100)
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("details"), blank=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-day", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key", "day"],
                                    name="core_notification_once_a_day"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


def _export_path(instance, filename):
    # A random name under the private media root (nothing serves it directly).
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A list export too big to build inside a web request (core.exports).

    The request records what was asked (the list, its filters as a query
    string, the search term apart, the number of rows then); a Celery worker
    builds the workbook as the account sees the list at that moment and keeps
    it under the private media root for EXPORT_RETENTION_DAYS days, after which
    the file is deleted and the row stays, expired. Only the account that
    asked may download it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(_("list"), max_length=40)
    # The list's filters as its query string (no personal data: the people
    # lists keep their name search out of URLs, in ``search``).
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    # The list's search term (it may be a name): never shown, logged or put in
    # a URL; emptied once the job is finished.
    search = models.CharField(_("search term"), max_length=200, blank=True)
    # What the personal-data access log records for a download: the filters
    # and whether a search was used, never the term.
    log_detail = models.CharField(max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("rows when requested"))
    rows_written = models.PositiveIntegerField(_("rows written"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="export_jobs")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    enqueued_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_export_path, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    # The zones the file was built for (None: every zone): a download needs
    # them all still in the account's scope.
    scope = models.JSONField(_("zones"), null=True, blank=True)
    # Why it failed, as a code (core.exports.ERRORS words it in the reader's
    # language): never an exception's text, which may hold personal data.
    error = models.CharField(_("error"), max_length=30, blank=True)
    expired_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"],
                                name="core_exportjob_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | (~models.Q(file="") & models.Q(finished_at__isnull=False)),
                name="core_exportjob_done_has_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(error=""),
                name="core_exportjob_failed_has_error",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done") | models.Q(file=""),
                name="core_exportjob_file_only_when_done",
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
