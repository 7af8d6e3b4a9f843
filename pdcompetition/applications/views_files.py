"""Documents, the printable view and the PDF of an application."""

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import deadlines
from ..extensions import db
from . import access, forms, services, summary, uploads
from .pdf import application_pdf
from .views import applicant_required, bp, step_context


@bp.route("/<int:application_id>/documents", methods=["GET", "POST"])
@applicant_required
def documents(application_id):
    posted = request.method == "POST"
    application = access.get_application(application_id, owner_only=True, lock=posted)
    editable = deadlines.can_edit(application)
    form = forms.UploadForm()
    if posted and not editable:
        flash(_("This application can no longer be changed."), "error")
        return redirect(url_for(".overview", application_id=application.id))
    if form.validate_on_submit():
        try:
            attachment = services.add_attachment(application, form.document.data)
        except uploads.UploadRejected as rejected:
            form.document.errors.append(rejected.message)
        else:
            db.session.commit()
            flash(_("«%(name)s» is attached.", name=attachment.original_name), "success")
            return redirect(url_for(".documents", application_id=application.id))
    status = 422 if form.errors else 200
    return render_template(
        "applications/documents.html", application=application, form=form, editable=editable,
        remove_form=forms.ConfirmForm(), used=services.attachments_total(application),
        max_files=services.max_files(), human_size=uploads.human_size,
        **step_context(application),
    ), status


@bp.route("/<int:application_id>/documents/<int:attachment_id>/remove", methods=["POST"])
@applicant_required
def remove_document(application_id, attachment_id):
    application = access.get_application(application_id, owner_only=True, lock=True)
    attachment = next((a for a in application.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    if not deadlines.can_edit(application):
        flash(_("This application can no longer be changed."), "error")
        return redirect(url_for(".overview", application_id=application.id))
    if forms.ConfirmForm().validate_on_submit():
        name = attachment.original_name
        stored_name = services.remove_attachment(application, attachment)
        db.session.commit()
        uploads.remove_stored(stored_name)
        flash(_("«%(name)s» has been removed.", name=name), "success")
    return redirect(url_for(".documents", application_id=application.id))


def _download_name(attachment, application) -> str:
    """The real name, or in blind review a neutral one for the jurors (e.g. document-2.pdf)."""
    if application.edition.blind_review and not access.can_view(current_user, application):
        position = [a.id for a in application.attachments].index(attachment.id) + 1
        return f"document-{position}{uploads.ALLOWED_TYPES.get(attachment.content_type, '')}"
    return attachment.original_name


@bp.route("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    attachment = access.get_attachment(attachment_id)
    try:
        path = uploads.stored_path(attachment.stored_name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    known = attachment.content_type in uploads.ALLOWED_TYPES
    inline = known and request.args.get("inline") == "1"
    response = send_file(
        path,
        mimetype=attachment.content_type if known else "application/octet-stream",
        as_attachment=not inline,
        download_name=_download_name(attachment, attachment.application),
        conditional=True,
        max_age=0,
    )
    # A document is never a page of this site: no scripts, no sniffing, no shared caches.
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:application_id>/print")
@login_required
def print_view(application_id):
    application = access.get_application(application_id)
    return render_template(
        "applications/print.html", application=application, summary_rows=summary.rows(application),
        human_size=uploads.human_size,
    )


@bp.route("/<int:application_id>/pdf")
@login_required
def pdf(application_id):
    application = access.get_application(application_id)
    response = send_file(
        BytesIO(application_pdf(application)),
        mimetype="application/pdf",
        as_attachment=request.args.get("download") == "1",
        download_name=f"application-{application.display_number.strip('#')}.pdf",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
