from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ModerationConfig(AppConfig):
    name = "ficarchive.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from ficarchive.moderation.roles import sync_roles_after_migrate

        # After every migrate (and every test database), the role groups hold exactly the
        # permissions `models.roles.ROLE_PERMISSIONS` names.
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="moderation.sync_roles"
        )
