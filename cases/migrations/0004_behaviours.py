"""The maintained list of behaviours a concern may cite (DESIGN §4), as first issued.

Administrators keep it up to date from then on; this only seeds it.
"""

from django.db import migrations

BEHAVIOURS = [
    # (source, name, citation, description)
    ("nolan", "Selflessness", "000 §IV", "Acting solely in terms of the public interest."),
    ("nolan", "Integrity", "000 §IV", "No obligation to those who might try to influence inappropriately."),
    ("nolan", "Objectivity", "000 §IV", "Acting impartially, fairly and on merit."),
    ("nolan", "Accountability", "000 §IV", "Accountable to the public and open to scrutiny."),
    ("nolan", "Openness", "000 §IV", "Acting openly; withholding only for clear and lawful reasons."),
    ("nolan", "Honesty", "000 §IV", "Being truthful."),
    ("nolan", "Leadership", "000 §IV", "Exhibiting the principles, treating others with respect."),
    ("protocol", "Frankness and candour", "000 §IV", "Honest about what is needed and what is possible."),
    ("protocol", "Respect and understanding of mutual roles", "000 §IV", ""),
    ("protocol", "Robust and constructive mutual challenge", "000 §IV", "Challenge that allows for power differences."),
    ("protocol", "Recognition of success and positive behaviours", "000 §IV", ""),
    ("protocol", "A focus on purpose and outcome, not process for its own sake", "000 §IV", ""),
    ("protocol", "An open and honest approach to communication", "000 §IV", ""),
    ("protocol", "Dignity and courtesy", "000 §IV, 001 §5.1", "Discourteous and bullying behaviour called out."),
    ("limit", "Directing staff contrary to the scheme of delegation", "000 §VII", ""),
    ("limit", "Misleading a committee", "000 §VII", ""),
    ("limit", "Bullying, harassment or intimidation", "001 §3.2(h)", ""),
    ("limit", "Public criticism of an officer", "001 §3.2(k), §5.1", "In meetings, in public or to the media."),
    ("limit", "Pressure to work outside normal hours or role", "001 §3.2(g)", ""),
    ("limit", "Undeclared personal relationship", "001 §4.1(a)–(b)", ""),
    ("limit", "Asking officers for party-political work", "001 §4.1(c), §9.6.2", ""),
    ("limit", "Using the relationship to advance personal interests", "001 §3.2(i)–(j)", ""),
    ("limit", "Raising employment matters or allegations with members", "001 §3.1(k)", ""),
    ("limit", "An officer publicly criticising council decisions", "001 §5.2", ""),
    ("limit", "Data protection", "001 §8", "Personal data shared without the consent it needs."),
]


def add_behaviours(apps, schema_editor):
    Behaviour = apps.get_model("cases", "Behaviour")
    for position, (source, name, citation, description) in enumerate(BEHAVIOURS):
        Behaviour.objects.update_or_create(
            name=name,
            defaults={"source": source, "citation": citation, "description": description, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_concerns")]

    operations = [migrations.RunPython(add_behaviours, migrations.RunPython.noop)]
