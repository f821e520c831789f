"""Model fields of more than one app."""

from django.db import models


class SortKeyField(models.CharField):
    """A key whose plain code point order is the order wanted
    (:func:`core.text.vi_sort_key`), compared so on any database.

    PostgreSQL compares text by the collation of the cluster's locale, which
    the official image sets to en_US.UTF-8: there a key's letters (U+0100 and
    up) compare as accented variants of a few Latin letters and Vietnamese
    order is lost ("Bình" before "Ân"). The column gets the "C" collation
    (bytes, and UTF-8's byte order is code point order), also the cheapest to
    sort. SQLite compares text in binary order unless told otherwise.
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
