"""Account pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..models import normalize_email, utcnow
from . import forms, services, tokens

bp = Blueprint("auth", __name__)


def _login_key() -> str:
    """Rate-limit key for one account: the address typed into the login form."""
    return "login:" + normalize_email(request.form.get("email", ""))[:254]


def _safe_next(target: str | None) -> str:
    """Only follow local paths after login, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("public.home")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = forms.RegistrationForm(language=request.args.get("lang") or _current_lang())
    if form.validate_on_submit():
        services.register_user(
            form.full_name.data, form.email.data, form.password.data, form.language.data
        )
        db.session.commit()
        return render_template("auth/check_email.html", email=normalize_email(form.email.data))
    return render_template("auth/register.html", form=form)


def _current_lang() -> str:
    from ..i18n import current_language

    return current_language()


@bp.route("/confirm/<token>")
def confirm_email(token):
    user = tokens.read_confirmation_token(token)
    if user is None:
        flash(_("The confirmation link is invalid or has expired. Request a new one."), "error")
        return redirect(url_for("auth.resend_confirmation"))
    services.confirm_email(user)
    db.session.commit()
    flash(_("Your email address is confirmed. You can log in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    form = forms.ResendConfirmationForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.email_confirmed_at is None:
            services.send_confirmation(user)
            db.session.commit()
        return render_template("auth/check_email.html", email=normalize_email(form.email.data))
    return render_template("auth/resend_confirmation.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute; 200 per hour", methods=["POST"])
@limiter.limit("5 per minute; 30 per hour", key_func=_login_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None or not user.is_active:
            flash(_("Wrong email or password."), "error")
        elif user.email_confirmed_at is None:
            flash(
                _("Please confirm your email address first: follow the link we sent you."),
                "warning",
            )
            return redirect(url_for("auth.resend_confirmation"))
        else:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _("If an account uses this address, we have sent it a link to set a new password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_password(token):
    user = tokens.read_reset_token(token)
    if user is None:
        flash(_("The link is invalid, expired or already used. Request a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        # Following the mailed link proves the address, too.
        services.confirm_email(user)
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = forms.ProfileForm(obj=current_user, language=current_user.locale)
    password_form = forms.ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        current_user.full_name = form.full_name.data.strip()
        current_user.locale = form.language.data
        current_user.timezone = form.timezone.data
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, password_form=password_form)


@bp.route("/password", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def change_password():
    form = forms.ProfileForm(obj=current_user, language=current_user.locale, formdata=None)
    password_form = forms.ChangePasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        if not current_user.check_password(password_form.current_password.data):
            password_form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.change_password(current_user, password_form.password.data)
            db.session.commit()
            # Other sessions are ended by the new nonce; this one continues with it.
            login_user(current_user._get_current_object())
            flash(
                _("Your password has been changed. Other devices have been logged out."),
                "success",
            )
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, password_form=password_form), 400


