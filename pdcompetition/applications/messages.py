"""What the applicant is told when an operation is refused, in the UI language."""

from flask_babel import lazy_gettext as _l

REFUSALS = {
    "closed": _l("Applications are not being accepted at the moment."),
    "jury_member": _l("Members of this edition's jury cannot apply to it."),
    "exists": _l("You already have an application in this edition: continue with it."),
    "already_submitted": _l("Your application has already been submitted."),
    "changed": _l("The application was changed in another window or on another device. "
                  "Check it below and submit again."),
    "deadline": _l("The deadline has passed: the application can no longer be changed or "
                   "submitted."),
    "incomplete": _l("Some required information is missing or needs correcting: see the list "
                     "below."),
    "consent": _l("To submit, give your consent to the processing of personal data."),
    "duplicate": _l("You have already submitted an application to this edition (%(number)s). "
                    "One person may submit one application."),
    "duplicate_nomination": _l("You have already submitted an application in this nomination "
                               "(%(number)s)."),
    "not_withdrawable": _l("This application can no longer be withdrawn: the jury has started "
                           "reviewing it, or it has been decided."),
}


def refusal_message(refused) -> str:
    """The message for a services.Refused."""
    reason = refused.reason
    if reason == "duplicate" and refused.other is not None:
        if refused.other.edition.one_application_per_nomination:
            reason = "duplicate_nomination"
        return str(REFUSALS[reason]) % {"number": refused.other.display_number}
    return str(REFUSALS[reason])
