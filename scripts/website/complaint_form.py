"""The form on "How to complain" that writes an e-mail: the visitor fills it in, and
`javascripts/complain.js` composes a `mailto:` link to the policy's address, which the
visitor's own mail program sends. Nothing is sent anywhere else.

The e-mail holds readable text (the page's words) and a machine-readable block that
`complaints new --from-message` records (`complaints_register.core.message` reads it).
Without JavaScript the form stays hidden and the page shows the address and the printable
form (a `<noscript>` paragraph).
"""

import json
from html import escape

from complaints_register.core.message import BEGIN, END, FORM_VERSION
from complaints_register.schema import Policy
from complaints_register.website.words import item_name, language_name, phrases


def _field(field_id: str, label: str, control: str, hint: str = "") -> str:
    said = f'<span class="form-hint" id="{field_id}-hint">{escape(hint)}</span>' if hint else ""
    return (
        f'<p class="form-field"><label for="{field_id}">{escape(label)}</label>{said}{control}</p>'
    )


def send_form(policy: Policy, language: str, form_url: str) -> str:
    """The form, in `language`; `form_url` is the printable form's address from the page.
    A policy without an e-mail address gets no form: only the printable one is offered."""
    words = phrases(language)["send"]
    email = policy.contact.email
    printable = f'<a href="{escape(form_url)}">{escape(words["printable"])}</a>'
    if not email:
        return f"<p>{printable}</p>"
    categories = "".join(
        f'<option value="{escape(c)}">{escape(item_name("category", c, language))}</option>'
        for c in policy.categories
    )
    answer_in = "".join(
        f'<option value="{escape(code)}"{" selected" if code == language else ""}>'
        f"{escape(language_name(code, language))}</option>"
        for code in policy.languages
    )
    texts = {
        key: words[key]
        for key in (
            "subject",
            "what",
            "outcome",
            "category",
            "language",
            "reach",
            "name",
            "email",
            "phone",
            "address",
            "unsure",
            "missing",
            "block",
        )
    }
    config = {
        "to": email,
        "page": language,
        "version": FORM_VERSION,
        "begin": BEGIN,
        "end": END,
        "words": texts,
        "languages": {code: language_name(code, language) for code in policy.languages},
        "categories": {c: item_name("category", c, language) for c in policy.categories},
    }
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return (
        f'<div class="send-form-no-script"><noscript><p>{escape(words["no_script"])}'
        f' <bdi><a href="mailto:{escape(email)}">{escape(email)}</a></bdi>. {printable}</p>'
        "</noscript></div>"
        f'<form id="send-form" class="send-form" hidden novalidate>'
        f"<p>{escape(words['intro'])}</p>"
        + _field(
            "send-what",
            words["what"],
            '<textarea id="send-what" name="what" rows="7" required'
            ' aria-describedby="send-what-hint"></textarea>',
            words["what_hint"],
        )
        + _field(
            "send-outcome",
            words["outcome"],
            '<textarea id="send-outcome" name="outcome" rows="4"></textarea>',
        )
        + _field(
            "send-category",
            words["category"],
            f'<select id="send-category" name="category"><option value="">'
            f"{escape(words['unsure'])}</option>{categories}</select>",
        )
        + _field(
            "send-language",
            words["language"],
            f'<select id="send-language" name="language">{answer_in}</select>',
        )
        + f"<fieldset><legend>{escape(words['reach'])}</legend>"
        + f'<p class="form-hint">{escape(words["reach_hint"])}</p>'
        + _field(
            "send-name",
            words["name"],
            '<input id="send-name" name="name" type="text" autocomplete="name">',
        )
        + _field(
            "send-email",
            words["email"],
            '<input id="send-email" name="email" type="email" autocomplete="email" dir="ltr">',
        )
        + _field(
            "send-phone",
            words["phone"],
            '<input id="send-phone" name="phone" type="tel" autocomplete="tel" dir="ltr">',
        )
        + _field(
            "send-address",
            words["address"],
            '<textarea id="send-address" name="address" rows="3"'
            ' autocomplete="street-address"></textarea>',
        )
        + "</fieldset>"
        + '<p id="send-error" class="send-error" role="alert" hidden></p>'
        + '<p><button type="submit" class="md-button md-button--primary">'
        + f"{escape(words['submit'])}</button></p>"
        + "</form>"
        + '<div id="send-ready" class="send-ready" aria-live="polite" hidden>'
        + f"<p>{escape(words['ready'])}</p>"
        + f'<p><a id="send-link" class="md-button md-button--primary" href="mailto:{escape(email)}">'
        + f"{escape(words['open'])}</a></p>"
        + f'<p><label for="send-text">{escape(words["fallback"])}'
        + f" <bdi>{escape(email)}</bdi></label></p>"
        + '<textarea id="send-text" class="send-text" rows="10" readonly dir="auto"></textarea>'
        + "</div>"
        + f'<script type="application/json" id="send-config">{data}</script>'
    )
