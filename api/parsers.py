"""JSON bodies, refused beyond ``API_MAX_BODY_BYTES`` before being read."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .problems import TooLarge


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.API_MAX_BODY_BYTES
        length = 0
        if request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
        if length > limit:
            raise TooLarge(_("The body may hold at most %(limit)s bytes.") % {"limit": limit})
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            # The framework's message is English and not translatable; say
            # where the body stops being JSON in the client's language.
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise ParseError(_("The body is not valid JSON (line %(line)s, column %(column)s).")
                                 % {"line": cause.lineno, "column": cause.colno}) from exc
            raise ParseError(_("The body is not valid JSON.")) from exc
