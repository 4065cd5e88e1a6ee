"""Issue 15 C10: My enquiries searched by subject or ward reads the index alone: the subject
and the ward ride in enquiry_by_member (PostgreSQL; other databases ignore INCLUDE)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_escalation_covering_for"),
        ("people", "0009_cover"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="enquiry",
            name="enquiry_by_member",
        ),
        migrations.AddIndex(
            model_name="enquiry",
            index=models.Index(
                fields=["member", "received_at", "id"], include=("subject", "ward"), name="enquiry_by_member"
            ),
        ),
    ]
