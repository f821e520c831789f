"""Error pages in the interface language, without tracebacks or details."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that could query the database: it may be down.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request, reason=""):
    """A form posted after its session or page expired: say so plainly."""
    return render(request, "errors/403_csrf.html", status=403)
