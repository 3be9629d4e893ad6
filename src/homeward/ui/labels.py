"""Translated labels of the codes Homeward stores: audit actions, record types, ledger kinds, channels.

Model choices (statuses, roles, kinds) carry their own labels (``get_FOO_display``); this registry is for
codes stored as plain strings. Templates show them with ``{{ code|label:"audit_action" }}``; a code without a
label is shown as is, and ``tests/test_i18n.py`` fails when any code the program can store has none.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS: dict[str, dict[str, str | Promise]] = {
    "audit_action": {
        "view": _("Viewed"),
        "create": _("Created"),
        "update": _("Changed"),
        "transition": _("Case moved"),
        "assign": _("Case worker assigned"),
        "share": _("Sharing changed"),
        "link": _("Linked to a child"),
        "withdraw": _("Withdrawn"),
        "note": _("Note added"),
        "export": _("Exported"),
        "download": _("Downloaded"),
        "report": _("Report opened"),
        "diff": _("Versions compared"),
        "upload": _("List uploaded"),
        "import": _("List imported"),
        "reject": _("Upload rejected"),
        "sign": _("Signed"),
        "forward": _("Names forwarded"),
        "respond": _("Answers recorded"),
        "status": _("Status changed"),
        "add_member": _("Member added"),
        "remove_member": _("Member removed"),
        "add_leg": _("Leg added"),
        "start_leg": _("Leg started"),
        "arrive_leg": _("Leg arrived"),
        "add_hosting": _("Hosting period added"),
        "add_handover": _("Hand-over planned"),
        "confirm": _("Checklist item confirmed"),
        "exception": _("Verification exception recorded"),
        "follow_up": _("Follow-up visit recorded"),
        "match_decision": _("Match decided"),
        "match_run": _("Matching run started"),
        "token": _("API token issued"),
        "figures_document_added": _("Figures document added"),
        "figures_review_view": _("Figures review opened"),
        "figures_stats_published": _("Public statistics published"),
    },
    "object_type": {
        "child": _("Child"),
        "person": _("Person"),
        "tracingrequest": _("Tracing request"),
        "case": _("Case"),
        "nameform": _("Name form"),
        "partylist": _("List"),
        "listversion": _("List version"),
        "listentry": _("List entry"),
        "listrejection": _("Rejected upload"),
        "forwarding": _("Forwarding"),
        "entryresponse": _("Answer"),
        "candidate": _("Candidate pair"),
        "matchrun": _("Matching run"),
        "returnoperation": _("Return operation"),
        "member": _("Member"),
        "leg": _("Leg"),
        "hostingperiod": _("Hosting period"),
        "signature": _("Signature"),
        "verification": _("Verification"),
        "rejectedrow": _("Rejected row"),
        "organisation": _("Organisation"),
        "sourceperson": _("Source"),
        "handover": _("Hand-over"),
        "evidencedocument": _("Evidence document"),
        "followup": _("Follow-up visit"),
        "verificationexception": _("Verification exception"),
        "document": _("Figures document"),
        "claim": _("Claim"),
        "statssnapshot": _("Statistics snapshot"),
        "user": _("User"),
        "ledger.key": _("Party key"),
        "partykey": _("Party key"),
        "exchange.list_version": _("List version"),
        "exchange.forwarding": _("Forwarding"),
        "exchange.response": _("Answer"),
    },
    "ledger_kind": {
        "list_submission": _("List submitted"),
        "case_transition": _("Case moved"),
        "match_decision": _("Match decided"),
        "handover_signoff": _("Hand-over signed"),
        "key_registration": _("Party key registered"),
        "key_rotation": _("Party key rotated"),
        "list_response": _("List answered"),
        "list_forwarding": _("Names forwarded"),
    },
    "linkage_stage": {
        "prepare": _("preparing the records"),
        "estimate u": _("estimating chance agreement"),
        "estimate m": _("estimating agreement of true matches"),
        "predict": _("scoring the pairs"),
        "best links": _("choosing the best links"),
        "explain": _("explaining the pairs"),
        "done": _("finished"),
    },
    "figures_qualifier": {
        "": "",
        "about": pgettext_lazy("figure qualifier", "about"),
        "nearly": pgettext_lazy("figure qualifier", "nearly"),
        "more than": pgettext_lazy("figure qualifier", "more than"),
        "at least": pgettext_lazy("figure qualifier", "at least"),
        "up to": pgettext_lazy("figure qualifier", "up to"),
        "approaching": pgettext_lazy("figure qualifier", "approaching"),
        "just under": pgettext_lazy("figure qualifier", "just under"),
        "as many as": pgettext_lazy("figure qualifier", "as many as"),
        "less than": pgettext_lazy("figure qualifier", "less than"),
        "between": pgettext_lazy("figure qualifier", "between"),
    },
    "via": {
        "page": pgettext_lazy("channel", "Web page"),
        "api": pgettext_lazy("channel", "API"),
        "cli": pgettext_lazy("channel", "Command line"),
        "demo": pgettext_lazy("channel", "Demo data"),
        "returns": pgettext_lazy("channel", "Return operation"),
    },
}


def label(code: object, domain: str) -> str:
    """The translated label of ``code`` in ``domain``; the code itself when it has none."""
    text = "" if code is None else str(code)
    found = LABELS.get(domain, {}).get(text)
    return str(found) if found is not None else text
