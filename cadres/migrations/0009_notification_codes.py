"""Notifications the archive sent before they were stored as codes (a Chinese sentence only) get the
code and parameters the sentence was made from, so they too are shown in the reader's language. A
row is changed only when the sentence re-made from what was read back is exactly the stored one; the
stored sentence stays as the fallback either way. Backwards: nothing to undo (the text is kept)."""
import re

from django.db import migrations

PATTERNS = (
    ("cadres.record_verified", re.compile(r"^您提交的实绩记录“(?P<title>.*)”（(?P<cadre>.*)）已核实，实绩分 (?P<points>-?[0-9.]+)。$", re.S),
     "您提交的实绩记录“%(title)s”（%(cadre)s）已核实，实绩分 %(points)s。"),
    ("cadres.record_returned", re.compile(r"^您提交的实绩记录“(?P<title>.*)”（(?P<cadre>.*)）被退回：(?P<reason>.*)$", re.S),
     "您提交的实绩记录“%(title)s”（%(cadre)s）被退回：%(reason)s"),
)


def codes_for_old_rows(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    changed = []
    for note in Notification.objects.filter(kind="", message__startswith="您提交的实绩记录").iterator():
        for kind, pattern, sentence in PATTERNS:
            match = pattern.match(note.message)
            if match and sentence % match.groupdict() == note.message:
                note.kind, note.params = kind, match.groupdict()
                changed.append(note)
                break
    Notification.objects.bulk_update(changed, ["kind", "params"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("cadres", "0008_constraint_messages"),
        ("core", "0006_notification_kind_params"),
    ]

    operations = [
        migrations.RunPython(codes_for_old_rows, migrations.RunPython.noop),
    ]
