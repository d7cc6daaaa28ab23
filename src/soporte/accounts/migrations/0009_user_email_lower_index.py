"""An index on the user accounts' lower-cased email: how inbound mail, the Slack channel and the
sign-in find a person by address (``accounts.models.email_is``) without reading every account."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_contact_surveys_opted_out"),
        # After auth's last migration: on SQLite an auth migration that alters ``auth_user``
        # rebuilds the table and drops indexes Django does not know of.
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS auth_user_email_lower ON auth_user (lower(email))",
            "DROP INDEX IF EXISTS auth_user_email_lower",
        )
    ]
