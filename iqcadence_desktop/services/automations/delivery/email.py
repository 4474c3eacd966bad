"""Email over SMTP: STARTTLS or SSL, optional login, HTML and plain-text parts, and a
report attached when a schedule (or "Email now") sends one.

The Message-ID is built from the event id, so a message that is sent again after a
crash between sending and confirming has the same id and mail systems can drop the
second copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.services.automations.delivery.base import (
    AttachmentRenderer,
    Message,
    SendResult,
    Target,
    dead,
    retry,
)

# smtplib, ssl and the email package load only when a message is sent or rendered: the
# app and the CLI start without them.
if TYPE_CHECKING:
    import ssl
    from email.message import EmailMessage

DEFAULT_TIMEOUT = 20.0
SslContextFactory = Callable[[], "ssl.SSLContext"]


def render(message: Message, target: Target, to: tuple[str, ...] = ()) -> dict[str, Any]:
    recipients = list(to or target.settings.get("to", []))
    return {
        "subject": f"[iQcadence] {message.title}",
        "to": recipients,
        "text": _text(message),
        "html": _html(message),
        "message_id": f"<{message.event_id}@iqcadence.invalid>",
        "attachment": message.attachment,
    }


def _text(m: Message) -> str:
    parts = [m.title, "", m.summary]
    if m.facts:
        parts += [""] + [f"{k}: {v}" for k, v in m.facts]
    if m.lines:
        parts += [""] + [f"- {line}" for line in m.lines]
    if m.footer:
        parts += ["", "--", m.footer]
    return "\n".join(parts) + "\n"


def _html(m: Message) -> str:
    import html

    e = html.escape
    facts = "".join(
        f"<tr><th align='left' style='padding:2px 12px 2px 0'>{e(k)}</th><td>{e(v)}</td></tr>"
        for k, v in m.facts
    )
    lines = "".join(f"<li>{e(line)}</li>" for line in m.lines)
    return (
        "<!DOCTYPE html><html><body style='font-family:sans-serif'>"
        f"<h2 style='margin:0 0 8px'>{e(m.title)}</h2><p>{e(m.summary)}</p>"
        + (f"<table>{facts}</table>" if facts else "")
        + (f"<ul>{lines}</ul>" if lines else "")
        + (f"<p style='color:#666;font-size:small'>{e(m.footer)}</p>" if m.footer else "")
        + "</body></html>"
    )


def build(
    body: dict[str, Any], target: Target, attachments: AttachmentRenderer | None
) -> EmailMessage:
    """The MIME message: text and HTML alternatives, then the attachment if any."""
    from email.message import EmailMessage
    from email.utils import formatdate

    msg = EmailMessage()
    msg["Subject"] = str(body["subject"])
    msg["From"] = str(target.settings.get("sender", ""))
    msg["To"] = ", ".join(body["to"])
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = str(body["message_id"])
    msg.set_content(str(body["text"]))
    msg.add_alternative(str(body["html"]), subtype="html")
    spec = body.get("attachment")
    if spec and attachments is not None:
        name, data, mime = attachments(spec)
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def send(
    body: dict[str, Any],
    target: Target,
    attachments: AttachmentRenderer | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    ssl_context: SslContextFactory | None = None,
) -> SendResult:
    import smtplib
    import ssl

    s = target.settings
    host, port, security = str(s.get("host", "")), int(s.get("port", 587)), s.get("security")
    user = s.get("user") or None
    if user and not target.secret:
        return retry(_missing_password(target))
    if not body.get("to"):
        return dead("The message has no recipients: add them to the connection or schedule.")
    try:
        msg = build(body, target, attachments)
        factory = ssl_context or ssl.create_default_context
        return _deliver(msg, host, port, str(security), user, target.secret, timeout, factory)
    except smtplib.SMTPAuthenticationError as exc:
        return dead(f"{host} refused the user name or password ({exc.smtp_code}).", exc.smtp_code)
    except smtplib.SMTPNotSupportedError:
        return dead(f"{host} does not offer STARTTLS: choose SSL, or ask for STARTTLS.")
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _ in exc.recipients.values()})
        return _by_code(codes[-1], f"{host} refused every recipient ({', '.join(exc.recipients)})")
    except smtplib.SMTPResponseException as exc:
        reason = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return _by_code(
            exc.smtp_code, f"{host} answered {exc.smtp_code} {' '.join(reason.split())[:200]}"
        )
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        return retry(f"Could not send through {host}:{port} ({_short(exc)}).")


def _deliver(
    msg: EmailMessage,
    host: str,
    port: int,
    security: str,
    user: str | None,
    password: str | None,
    timeout: float,
    ssl_context: SslContextFactory,
) -> SendResult:
    import smtplib

    smtp: smtplib.SMTP
    if security == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=ssl_context())
        if user and password:
            smtp.login(user, password)
        refused = smtp.send_message(msg)
    if refused:
        return SendResult("sent", 250, "Some recipients were refused: " + ", ".join(refused))
    return SendResult("sent", 250)


def _by_code(code: int, text: str) -> SendResult:
    """SMTP 4xx: try again later; 5xx: the server will never take it as it is."""
    if 400 <= code < 500:
        return retry(text + ".", code)
    return dead(text + ".", code)


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())[:160]


def _missing_password(target: Target) -> str:
    env = target.secret_env
    where = f" and the environment variable {env} is not set" if env else ""
    return (
        f'The connection "{target.name}" has no SMTP password: none is saved in the system '
        f"keyring{where}. Save it on the Automations page, or run with --secret-env naming "
        "a variable that holds it."
    )
