"""The stored explanations go: ``services.compute.explain`` builds one when a result is shown."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("assessment", "0004_result_explained_when_shown"),
    ]

    operations = [
        migrations.RemoveField(model_name="assessmentresult", name="explanation"),
    ]
