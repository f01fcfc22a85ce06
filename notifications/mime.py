"""The email's MIME shape when it shows an image in its body, such as a ticket's QR code.

An inline part (an attachment with a Content-ID, which the HTML names as `cid:<id>`) goes
beside the HTML in a multipart/related, as RFC 2387 has it and mail clients expect:

    multipart/mixed
      multipart/alternative
        text/plain
        multipart/related
          text/html
          image/png (Content-ID, inline)
      the other attachments

The inline parts stay in `attachments` as well, where anymail's ESP backends look for them.
"""

import base64
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart


def inline_part(content: bytes, mimetype: str, *, content_id: str, filename: str) -> MIMEBase:
    """An image part the HTML shows by `cid:<content_id>`."""
    maintype, subtype = mimetype.split("/", 1)
    if maintype != "image":
        raise ValueError(f"Only images are shown inline, not {mimetype}")
    part = MIMEImage(content, _subtype=subtype)
    part.add_header("Content-ID", f"<{content_id}>")
    part.add_header("Content-Disposition", "inline", filename=filename)
    return part


def is_inline(attachment) -> bool:
    return isinstance(attachment, MIMEBase) and "Content-ID" in attachment


class Email(EmailMultiAlternatives):
    """An email whose inline parts are related to its HTML rather than merely attached."""

    def attach_all(self, attachments):
        """Attach what another email carries: (filename, content, mimetype) or MIME parts."""
        for attachment in attachments:
            if isinstance(attachment, MIMEBase):
                self.attach(attachment)
            else:
                self.attach(*attachment)

    def _inline_parts(self):
        return [attachment for attachment in self.attachments if is_inline(attachment)]

    def _create_alternatives(self, msg):
        inline = self._inline_parts()
        if not inline:
            return super()._create_alternatives(msg)
        encoding = self.encoding or settings.DEFAULT_CHARSET
        alternative = SafeMIMEMultipart(_subtype=self.alternative_subtype, encoding=encoding)
        if self.body:
            alternative.attach(msg)
        for content, mimetype in self.alternatives:
            part = self._create_mime_attachment(content, mimetype)
            if mimetype == "text/html":
                related = SafeMIMEMultipart(_subtype="related", encoding=encoding)
                related.attach(part)
                for inline_attachment in inline:
                    related.attach(inline_attachment)
                part = related
            alternative.attach(part)
        return alternative

    def _create_attachments(self, msg):
        inline = self._inline_parts()
        if not inline:
            return super()._create_attachments(msg)
        everything = self.attachments
        self.attachments = [a for a in everything if not is_inline(a)]
        try:
            return super()._create_attachments(msg)
        finally:
            self.attachments = everything


# --- Showing an email to organizers ------------------------------------------------------------


def html_for_display(email) -> str:
    """The HTML alternative, its inline images as data: URLs so a sandboxed frame shows them."""
    html = next(
        (content for content, mimetype in email.alternatives if mimetype == "text/html"), ""
    )
    for part in email.attachments:
        if is_inline(part):
            content_id = part["Content-ID"].strip("<>")
            data = base64.b64encode(part.get_payload(decode=True)).decode("ascii")
            url = f"data:{part.get_content_type()};base64,{data}"
            html = html.replace(f"cid:{content_id}", url)
    return html


def attachment_sizes(email) -> tuple[tuple[str, int], ...]:
    """(file name, size in bytes) of each part the email carries besides its text and HTML."""
    sizes = []
    for attachment in email.attachments:
        if isinstance(attachment, MIMEBase):
            content = attachment.get_payload(decode=True) or b""
            sizes.append((attachment.get_filename() or "", len(content)))
        else:
            filename, content, _mimetype = attachment
            size = len(content.encode() if isinstance(content, str) else content)
            sizes.append((filename, size))
    return tuple(sizes)
