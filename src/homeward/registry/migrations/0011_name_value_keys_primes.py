"""Name values with a prime or another apostrophe sign inside a word — the soft and hard signs of ISO 9, GOST
7.79 and some passports (``Sof′ja``, ``Koval′chuk``, ``Pod″jachev``) — were indexed as two words (``Sof`` and
``ja``), so no query found them; ``homeward.names.search`` now keeps such a word whole. Only those values' keys
change (their records' ``NameRef`` rows point to the same values), recomputed by the code in place
(``field_keys``). Going back keeps the new keys (the earlier code reads them; it never wrote them)."""

from typing import Any

from django.db import migrations
from django.db.models import Q

#: The signs that split a word before (the apostrophes ' ’ ʼ ` never did).
SIGNS = "´‘ʹʺ′″"
PARTS = {"s": "surname", "g": "given", "p": "patronymic"}


def rekey(apps: Any, schema_editor: Any) -> None:
    from homeward.names.search import field_keys

    del schema_editor
    value_model = apps.get_model("registry", "NameValue")
    key_model = apps.get_model("registry", "NameValueKey")
    signed = Q()
    for sign in SIGNS:
        signed |= Q(text__contains=sign)
    values = list(value_model.objects.filter(signed).values_list("pk", "part", "text"))
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        key_model.objects.filter(value_id__in=[pk for pk, _p, _t in chunk]).delete()
        key_model.objects.bulk_create([key_model(value_id=pk, key=k, tier=t) for pk, part, text in chunk
                                       for k, t in field_keys(text, PARTS[part]).items()])  # type: ignore[arg-type]


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_list_entry_postings")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
