"""The reviews' section of the regulation's page (the ``regulation`` slot of
:mod:`core.panels`)."""

from django.template.loader import render_to_string

from core import panels

from . import rules, selectors


@panels.register("regulation", order=10)
def regulation_reviews(request, regulation, access):
    """The reviews of this regulation the account sees (one query), with the
    link to start one."""
    reviews = list(selectors.review_list(access=access, regulation=regulation))
    return render_to_string("coordination/reviews/_regulation_panel.html", {
        "regulation": regulation, "reviews": reviews,
        "can_edit": rules.may_edit_reviews(access),
    }, request)
